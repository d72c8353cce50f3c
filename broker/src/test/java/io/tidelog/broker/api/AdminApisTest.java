package io.tidelog.broker.api;

import io.tidelog.broker.RawClient;

import static io.tidelog.broker.api.Requests.batch;
import static io.tidelog.broker.api.Requests.produceAndAwait;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.CreatePartitionsRequest;
import io.tidelog.protocol.message.CreatePartitionsResponse;
import io.tidelog.protocol.message.CreateTopicsRequest;
import io.tidelog.protocol.message.CreateTopicsResponse;
import io.tidelog.protocol.message.DeleteRecordsRequest;
import io.tidelog.protocol.message.DeleteRecordsResponse;
import io.tidelog.protocol.message.DeleteTopicsRequest;
import io.tidelog.protocol.message.DeleteTopicsResponse;
import io.tidelog.protocol.message.DescribeConfigsRequest;
import io.tidelog.protocol.message.DescribeConfigsResponse;
import io.tidelog.protocol.message.FetchRequest;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.message.InitProducerIdRequest;
import io.tidelog.protocol.message.InitProducerIdResponse;
import io.tidelog.protocol.message.MetadataRequest;
import io.tidelog.protocol.message.MetadataResponse;
import io.tidelog.protocol.message.OffsetForLeaderEpochRequest;
import io.tidelog.protocol.message.OffsetForLeaderEpochResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApisTest {

    @TempDir
    Path dir;
    private TestBroker broker;
    private RawClient client;

    @BeforeEach
    void start() throws IOException {
        broker = new TestBroker(dir, Map.of("auto.create.topics.enable", "true", "num.partitions", "2"));
        client = broker.connect();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        broker.close();
    }

    private CreateTopicsResponse.CreatableTopicResult create(CreateTopicsRequest request) throws IOException {
        return client.call(request, Requests.CREATE_TOPICS_V, CreateTopicsResponse::read).topics().get(0);
    }

    @Test
    void givenValidateOnly_whenCreatingATopic_thenTheAnswerDescribesItButNothingIsCreated() throws IOException {
        CreateTopicsRequest request = Requests.createTopic("dry", 4, Map.of("cleanup.policy", "delete"));
        request.setValidateOnly(true);

        CreateTopicsResponse.CreatableTopicResult result = create(request);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.numPartitions()).isEqualTo(4);
        assertThat(broker.server().topicRegistry().image().topic("dry")).isNull();
    }

    @Test
    void givenOneBroker_whenAskingForReplicationFactorThree_thenInvalidReplicationFactor() throws IOException {
        CreateTopicsRequest request = Requests.createTopic("rf3", 1, Map.of());
        request.topics().get(0).setReplicationFactor((short) 3);

        assertThat(create(request).errorCode()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR.code());
        assertThat(broker.server().topicRegistry().image().topic("rf3")).isNull();
    }

    @Test
    void givenAnUnknownOrBadConfig_whenCreatingATopic_thenInvalidConfigNamingTheKey() throws IOException {
        CreateTopicsResponse.CreatableTopicResult unknown = create(Requests.createTopic("c1", 1, Map.of("retention.mss", "1")));
        CreateTopicsResponse.CreatableTopicResult bad = create(Requests.createTopic("c2", 1, Map.of("retention.ms", "soon")));

        assertThat(unknown.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(unknown.errorMessage()).contains("retention.mss");
        assertThat(bad.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        assertThat(bad.errorMessage()).contains("retention.ms");
    }

    @Test
    void givenAnExistingTopic_whenCreatedAgain_thenTopicAlreadyExists() throws IOException {
        create(Requests.createTopic("twice", 1, Map.of()));
        assertThat(create(Requests.createTopic("twice", 1, Map.of())).errorCode())
                .isEqualTo(Errors.TOPIC_ALREADY_EXISTS.code());
    }

    @Test
    void givenATopicWithAnOverride_whenDescribingItsConfigs_thenTheOverrideIsATopicConfigAndOthersAreDefaults()
            throws IOException {
        create(Requests.createTopic("described", 1, Map.of("retention.ms", "12345")));
        DescribeConfigsRequest request = new DescribeConfigsRequest().setIncludeSynonyms(true);
        request.resources().add(new DescribeConfigsRequest.DescribeConfigsResource().setResourceType((byte) 2)
                .setResourceName("described").setConfigurationKeys(null));
        request.resources().add(new DescribeConfigsRequest.DescribeConfigsResource().setResourceType((byte) 4)
                .setResourceName("1").setConfigurationKeys(List.of("num.partitions")));

        DescribeConfigsResponse response = client.call(request, (short) 4, DescribeConfigsResponse::read);

        var topic = response.results().get(0);
        assertThat(topic.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topic.configs()).anySatisfy(entry -> {
            assertThat(entry.name()).isEqualTo("retention.ms");
            assertThat(entry.value()).isEqualTo("12345");
            assertThat(entry.configSource()).isEqualTo((byte) 1);
        });
        assertThat(topic.configs()).anySatisfy(entry -> {
            assertThat(entry.name()).isEqualTo("segment.bytes");
            assertThat(entry.synonyms()).extracting(s -> s.name()).contains("log.segment.bytes");
        });
        var brokerResult = response.results().get(1);
        assertThat(brokerResult.configs()).singleElement().satisfies(entry -> {
            assertThat(entry.name()).isEqualTo("num.partitions");
            assertThat(entry.value()).isEqualTo("2");
            assertThat(entry.configSource()).isEqualTo((byte) 4);
        });
    }

    @Test
    void givenATopic_whenGrowingAndShrinkingItsPartitions_thenGrowthWorksAndShrinkingIsInvalid() throws IOException {
        create(Requests.createTopic("grow", 1, Map.of()));
        CreatePartitionsRequest grow = new CreatePartitionsRequest().setTimeoutMs(1000);
        grow.topics().add(new CreatePartitionsRequest.CreatePartitionsTopic().setName("grow").setCount(3).setAssignments(null));
        CreatePartitionsRequest shrink = new CreatePartitionsRequest().setTimeoutMs(1000);
        shrink.topics().add(new CreatePartitionsRequest.CreatePartitionsTopic().setName("grow").setCount(2).setAssignments(null));

        var grown = client.call(grow, (short) 3, CreatePartitionsResponse::read).results().get(0);
        var shrunk = client.call(shrink, (short) 3, CreatePartitionsResponse::read).results().get(0);

        assertThat(grown.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(shrunk.errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
        assertThat(broker.partition("grow", 2)).isNotNull();
        assertThat(produceAndAwait(client, "grow", 2, batch("new"), (short) 1).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void givenRecords_whenDeletingRecordsBeforeAnOffset_thenTheLowWatermarkMovesButNeverPastTheHighWatermark()
            throws IOException {
        create(Requests.createTopic("trim", 1, Map.of()));
        produceAndAwait(client, "trim", 0, batch("a", "b", "c"), (short) 1);
        produceAndAwait(client, "trim", 0, batch("d"), (short) 1);

        var moved = deleteRecords("trim", 2);
        var beyond = deleteRecords("trim", 99);
        FetchResponse.FetchableTopicResponse.PartitionData below = Requests.fetchOne(client, "trim", 0, 0);

        assertThat(moved.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(moved.lowWatermark()).isEqualTo(2);
        assertThat(beyond.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(Requests.listOffset(client, "trim", 0, -2L).offset()).isEqualTo(2);
        assertThat(below.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(below.logStartOffset()).isEqualTo(2);
        assertThat(deleteRecords("trim", -1).lowWatermark()).isEqualTo(4);
    }

    private DeleteRecordsResponse.DeleteRecordsTopicResult.DeleteRecordsPartitionResult deleteRecords(String topic,
            long offset) throws IOException {
        DeleteRecordsRequest.DeleteRecordsTopic target = new DeleteRecordsRequest.DeleteRecordsTopic().setName(topic);
        target.partitions().add(new DeleteRecordsRequest.DeleteRecordsTopic.DeleteRecordsPartition()
                .setPartitionIndex(0).setOffset(offset));
        DeleteRecordsRequest request = new DeleteRecordsRequest().setTimeoutMs(1000);
        request.topics().add(target);
        return client.call(request, (short) 2, DeleteRecordsResponse::read).topics().get(0).partitions().get(0);
    }

    @Test
    void givenATopic_whenDeleted_thenMetadataNoLongerKnowsItAndItsLogsAreGone() throws IOException {
        create(Requests.createTopic("doomed", 2, Map.of()));
        produceAndAwait(client, "doomed", 0, batch("x"), (short) 1);
        DeleteTopicsRequest request = new DeleteTopicsRequest().setTimeoutMs(1000);
        request.topics().add(new DeleteTopicsRequest.DeleteTopicState().setName("doomed"));

        var deleted = client.call(request, (short) 6, DeleteTopicsResponse::read).responses().get(0);
        MetadataResponse metadata = client.call(Requests.metadata("doomed"), Requests.METADATA_V, MetadataResponse::read);

        assertThat(deleted.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(metadata.topics().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(dir.resolve("doomed-0")).doesNotExist();
    }

    @Test
    void givenAutoCreationOn_whenMetadataAsksForAMissingTopic_thenItIsCreatedWithNumPartitionsAndThisBrokerLeads()
            throws IOException {
        MetadataRequest request = Requests.metadata("auto").setAllowAutoTopicCreation(true);

        MetadataResponse response = client.call(request, Requests.METADATA_V, MetadataResponse::read);

        assertThat(response.controllerId()).isEqualTo(1);
        assertThat(response.clusterId()).isNotBlank();
        assertThat(response.brokers()).singleElement().satisfies(b -> {
            assertThat(b.nodeId()).isEqualTo(1);
            assertThat(b.port()).isEqualTo(broker.server().boundAddress().getPort());
        });
        var topic = response.topics().get(0);
        assertThat(topic.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topic.partitions()).hasSize(2).allSatisfy(p -> {
            assertThat(p.leaderId()).isEqualTo(1);
            assertThat(p.isrNodes()).containsExactly(1);
        });
    }

    @Test
    void givenIdempotentProducers_whenAskingForProducerIds_thenEachGetsADistinctIdAtEpochZero() throws IOException {
        InitProducerIdRequest request = new InitProducerIdRequest().setTransactionalId(null).setTransactionTimeoutMs(-1);
        var first = client.call(request, (short) 4, InitProducerIdResponse::read);
        var second = client.call(request, (short) 4, InitProducerIdResponse::read);

        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isNotEqualTo(first.producerId());
    }

    @Test
    void givenAClientWithAStaleOrFutureLeaderEpoch_whenFetching_thenFencedOrUnknownLeaderEpoch() throws IOException {
        create(Requests.createTopic("epochs", 1, Map.of()));
        produceAndAwait(client, "epochs", 0, batch("a"), (short) 1);

        assertThat(fetchWithEpoch(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetchWithEpoch(5).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
        var end = offsetForLeaderEpoch("epochs", 0);
        assertThat(end.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(end.leaderEpoch()).isZero();
        assertThat(end.endOffset()).isEqualTo(1);
    }

    private FetchResponse.FetchableTopicResponse.PartitionData fetchWithEpoch(int epoch) throws IOException {
        FetchRequest request = Requests.fetch(0, 1, Map.of(0, 0L), "epochs");
        request.topics().get(0).partitions().get(0).setCurrentLeaderEpoch(epoch);
        return client.call(request, Requests.FETCH_V, FetchResponse::read).responses().get(0).partitions().get(0);
    }

    private OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult.EpochEndOffset offsetForLeaderEpoch(String topic,
            int epoch) throws IOException {
        OffsetForLeaderEpochRequest.OffsetForLeaderTopic target = new OffsetForLeaderEpochRequest.OffsetForLeaderTopic()
                .setTopic(topic);
        target.partitions().add(new OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition()
                .setPartition(0).setCurrentLeaderEpoch(0).setLeaderEpoch(epoch));
        OffsetForLeaderEpochRequest request = new OffsetForLeaderEpochRequest().setReplicaId(-1);
        request.topics().add(target);
        return client.call(request, (short) 4, OffsetForLeaderEpochResponse::read).topics().get(0).partitions().get(0);
    }

    @Test
    void givenRecordsWithTimestamps_whenListingOffsetsByTimestamp_thenTheFirstRecordAtOrAfterItIsReturned()
            throws IOException {
        create(Requests.createTopic("times", 1, Map.of()));
        for (long ts : new long[] {1_000, 2_000, 3_000}) {
            produceAndAwait(client, "times", 0, new io.tidelog.protocol.record.RecordBatchBuilder()
                    .append(ts, null, ("v" + ts).getBytes()).build(), (short) 1);
        }

        assertThat(Requests.listOffset(client, "times", 0, 1_500).offset()).isEqualTo(1);
        assertThat(Requests.listOffset(client, "times", 0, 3_000).timestamp()).isEqualTo(3_000);
        assertThat(Requests.listOffset(client, "times", 0, 9_000).offset()).isEqualTo(-1);
        assertThat(Requests.listOffset(client, "times", 0, -3L).offset()).isEqualTo(2);
    }
}

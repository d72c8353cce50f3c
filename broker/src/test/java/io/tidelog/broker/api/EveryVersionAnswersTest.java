package io.tidelog.broker.api;

import io.tidelog.broker.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.message.AlterConfigsRequest;
import io.tidelog.protocol.message.ApiMessages;
import io.tidelog.protocol.message.ApiVersionsRequest;
import io.tidelog.protocol.message.CreatePartitionsRequest;
import io.tidelog.protocol.message.DeleteRecordsRequest;
import io.tidelog.protocol.message.DeleteTopicsRequest;
import io.tidelog.protocol.message.DescribeConfigsRequest;
import io.tidelog.protocol.message.IncrementalAlterConfigsRequest;
import io.tidelog.protocol.message.InitProducerIdRequest;
import io.tidelog.protocol.message.OffsetForLeaderEpochRequest;
import io.tidelog.protocol.types.ProtocolReader;
import io.tidelog.protocol.message.ApiMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every API the broker serves answers a valid request at every version it advertises. Clients
 * pick different versions (librdkafka's kcat sends ListOffsets v2, Kafka 4.x Java clients the
 * newest), and a handler that sets a field the negotiated version lacks cannot encode its answer:
 * the client sees a dropped connection. One request per (API, version), each answered with no
 * error code anywhere in the response.
 */
class EveryVersionAnswersTest {

    private static final String TOPIC = "every-version";

    @TempDir
    static Path dataDir;

    private static TestBroker broker;

    @BeforeAll
    static void startBrokerWithOneRecord() throws Exception {
        broker = TestBroker.start(dataDir);
        try (RawClient client = broker.connect()) {
            client.call(Requests.createTopic(TOPIC, 1, Map.of()), Requests.CREATE_TOPICS_V,
                    io.tidelog.protocol.message.CreateTopicsResponse::read);
            Requests.produceAndAwait(client, TOPIC, 0, Requests.batch("first"), (short) 1);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @TestFactory
    Stream<DynamicTest> givenAValidRequestAtEveryAdvertisedVersionWhenSentThenTheBrokerAnswersWithoutError() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKey api : List.of(ApiKey.API_VERSIONS, ApiKey.METADATA, ApiKey.PRODUCE, ApiKey.FETCH,
                ApiKey.LIST_OFFSETS, ApiKey.INIT_PRODUCER_ID, ApiKey.OFFSET_FOR_LEADER_EPOCH,
                ApiKey.DESCRIBE_CONFIGS, ApiKey.CREATE_TOPICS, ApiKey.DELETE_TOPICS, ApiKey.CREATE_PARTITIONS,
                ApiKey.DELETE_RECORDS, ApiKey.INCREMENTAL_ALTER_CONFIGS, ApiKey.ALTER_CONFIGS)) {
            for (short version = api.lowestDecodableVersion(); version <= api.maxVersion(); version++) {
                short v = version;
                tests.add(DynamicTest.dynamicTest(api.apiName() + " v" + v, () -> answersWithoutError(api, v)));
            }
        }
        return tests.stream();
    }

    private static void answersWithoutError(ApiKey api, short version) throws Exception {
        try (RawClient client = broker.connect()) {
            ApiMessage request = requestFor(api, version);
            Object response = client.call(request, version,
                    (ProtocolReader reader, Short v) -> ApiMessages.readResponse(api, reader, v));
            assertThat(ResponseErrors.nonZeroErrorCodes(response, api.apiName())).as("%s v%d answered with errors", api.apiName(), version).isEmpty();
        }
    }

    /** A valid request at {@code version}, touching the shared topic or a topic of its own. */
    private static ApiMessage requestFor(ApiKey api, short version) throws Exception {
        String own = "ev-" + api.apiName().toLowerCase() + "-" + version;
        switch (api) {
            case API_VERSIONS:
                return new ApiVersionsRequest().setClientSoftwareName("tidelog-test").setClientSoftwareVersion("1");
            case METADATA:
                // allowAutoTopicCreation exists from v4; older versions always allow it.
                return Requests.metadata(TOPIC).setAllowAutoTopicCreation(version < 4);
            case PRODUCE:
                return Requests.produce(TOPIC, 0, Requests.batch("v" + version), (short) 1);
            case FETCH:
                return Requests.fetch(0, 0, Map.of(0, 0L), TOPIC);
            case LIST_OFFSETS:
                return Requests.listOffsets(TOPIC, 0, -1L);
            case INIT_PRODUCER_ID:
                return new InitProducerIdRequest().setTransactionalId(null).setTransactionTimeoutMs(60_000);
            case OFFSET_FOR_LEADER_EPOCH: {
                OffsetForLeaderEpochRequest.OffsetForLeaderTopic topic =
                        new OffsetForLeaderEpochRequest.OffsetForLeaderTopic().setTopic(TOPIC);
                topic.partitions().add(new OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition()
                        .setPartition(0).setLeaderEpoch(0));
                OffsetForLeaderEpochRequest request = new OffsetForLeaderEpochRequest();
                request.topics().add(topic);
                return request;
            }
            case DESCRIBE_CONFIGS: {
                DescribeConfigsRequest request = new DescribeConfigsRequest();
                request.resources().add(new DescribeConfigsRequest.DescribeConfigsResource()
                        .setResourceType((byte) 2).setResourceName(TOPIC).setConfigurationKeys(null));
                return request;
            }
            case CREATE_TOPICS:
                return Requests.createTopic(own, 1, Map.of());
            case DELETE_TOPICS: {
                createTopic(own);
                DeleteTopicsRequest request = new DeleteTopicsRequest().setTimeoutMs(10_000);
                if (version >= 6) {
                    request.topics().add(new DeleteTopicsRequest.DeleteTopicState().setName(own));
                } else {
                    request.topicNames().add(own);
                }
                return request;
            }
            case CREATE_PARTITIONS: {
                createTopic(own);
                CreatePartitionsRequest request = new CreatePartitionsRequest().setTimeoutMs(10_000);
                request.topics().add(new CreatePartitionsRequest.CreatePartitionsTopic().setName(own).setCount(2)
                        .setAssignments(null));
                return request;
            }
            case DELETE_RECORDS: {
                DeleteRecordsRequest.DeleteRecordsTopic topic = new DeleteRecordsRequest.DeleteRecordsTopic().setName(TOPIC);
                topic.partitions().add(new DeleteRecordsRequest.DeleteRecordsTopic.DeleteRecordsPartition()
                        .setPartitionIndex(0).setOffset(0));
                DeleteRecordsRequest request = new DeleteRecordsRequest().setTimeoutMs(10_000);
                request.topics().add(topic);
                return request;
            }
            case INCREMENTAL_ALTER_CONFIGS: {
                createTopic(own);
                IncrementalAlterConfigsRequest.AlterConfigsResource resource =
                        new IncrementalAlterConfigsRequest.AlterConfigsResource().setResourceType((byte) 2)
                                .setResourceName(own);
                resource.configs().add(new IncrementalAlterConfigsRequest.AlterConfigsResource.AlterableConfig()
                        .setName("retention.ms").setConfigOperation((byte) 0).setValue("3600000"));
                IncrementalAlterConfigsRequest request = new IncrementalAlterConfigsRequest();
                request.resources().add(resource);
                return request;
            }
            case ALTER_CONFIGS: {
                createTopic(own);
                AlterConfigsRequest.AlterConfigsResource resource = new AlterConfigsRequest.AlterConfigsResource()
                        .setResourceType((byte) 2).setResourceName(own);
                resource.configs().add(new AlterConfigsRequest.AlterConfigsResource.AlterableConfig()
                        .setName("retention.ms").setValue("3600000"));
                AlterConfigsRequest request = new AlterConfigsRequest();
                request.resources().add(resource);
                return request;
            }
            default:
                throw new IllegalArgumentException("no request for " + api);
        }
    }

    private static void createTopic(String name) throws Exception {
        try (RawClient client = broker.connect()) {
            client.call(Requests.createTopic(name, 1, Map.of()), Requests.CREATE_TOPICS_V,
                    io.tidelog.protocol.message.CreateTopicsResponse::read);
        }
    }
}

package io.tidelog.broker.api;

import io.tidelog.broker.RawClient;

import static io.tidelog.broker.api.Requests.FETCH_V;
import static io.tidelog.broker.api.Requests.METADATA_V;
import static io.tidelog.broker.api.Requests.batch;
import static io.tidelog.broker.api.Requests.fetch;
import static io.tidelog.broker.api.Requests.fetchOne;
import static io.tidelog.broker.api.Requests.idempotentBatch;
import static io.tidelog.broker.api.Requests.produceAndAwait;
import static io.tidelog.broker.api.Requests.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.CreateTopicsResponse;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.message.ListOffsetsResponse;
import io.tidelog.protocol.message.MetadataResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceFetchTest {

    private static final String TOPIC = "events";

    @TempDir
    Path dir;
    private TestBroker broker;
    private RawClient client;

    @BeforeEach
    void start() throws IOException {
        broker = TestBroker.start(dir);
        client = broker.connect();
        CreateTopicsResponse created = client.call(Requests.createTopic(TOPIC, 3, Map.of()), Requests.CREATE_TOPICS_V,
                CreateTopicsResponse::read);
        assertThat(created.topics().get(0).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        broker.close();
    }

    @Test
    void givenProducedBatches_whenFetchedFromOffsetZero_thenTheConsumerSeesEveryRecordWithItsOffset() throws IOException {
        assertThat(produceAndAwait(client, TOPIC, 0, batch("a", "b"), (short) 1).baseOffset()).isZero();
        assertThat(produceAndAwait(client, TOPIC, 0, batch("c"), (short) -1).baseOffset()).isEqualTo(2);

        FetchResponse.FetchableTopicResponse.PartitionData data = fetchOne(client, TOPIC, 0, 0);

        assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(data.highWatermark()).isEqualTo(3);
        assertThat(values(data.records())).containsExactly("0:a", "1:b", "2:c");
    }

    @Test
    void givenAcksZero_whenProducing_thenNoResponseComesBackButTheRecordsAreAppended() throws IOException {
        client.send(Requests.produce(TOPIC, 1, batch("quiet"), (short) 0), Requests.PRODUCE_V);
        int metadata = client.send(Requests.metadata(TOPIC), METADATA_V);

        MetadataResponse response = client.receive(metadata, ApiKey.METADATA, METADATA_V, MetadataResponse::read);

        assertThat(response.topics().get(0).name()).isEqualTo(TOPIC);
        assertThat(broker.logEndOffset(TOPIC, 1)).isEqualTo(1);
    }

    @Test
    void givenAParkedLongPollAheadOfAQuickRequest_whenDataArrives_thenTheFetchIsAnsweredFirstAndCarriesIt()
            throws IOException {
        int parkedFetch = client.send(fetch(30_000, 1, Map.of(2, 0L), TOPIC), FETCH_V);
        int quick = client.send(Requests.listOffsets(TOPIC, 2, -1L), Requests.LIST_OFFSETS_V);
        await().until(() -> broker.server().replicaManager().parkedFetches() == 1);

        try (RawClient producer = broker.connect()) {
            produceAndAwait(producer, TOPIC, 2, batch("wake"), (short) 1);
        }

        FetchResponse fetched = client.receive(parkedFetch, ApiKey.FETCH, FETCH_V, FetchResponse::read);
        ListOffsetsResponse offsets = client.receive(quick, ApiKey.LIST_OFFSETS, Requests.LIST_OFFSETS_V,
                ListOffsetsResponse::read);
        assertThat(values(fetched.responses().get(0).partitions().get(0).records())).containsExactly("0:wake");
        assertThat(offsets.topics().get(0).partitions().get(0).offset()).isIn(0L, 1L);
    }

    @Test
    void givenAFetchOfSeveralPartitionsIncludingAnUnknownOne_whenAnswered_thenEveryPartitionAskedIsInTheResponse()
            throws IOException {
        produceAndAwait(client, TOPIC, 1, batch("x"), (short) 1);
        Map<Integer, Long> asked = new LinkedHashMap<>();
        asked.put(0, 0L);
        asked.put(1, 0L);
        asked.put(2, 0L);
        asked.put(7, 0L);

        FetchResponse response = client.call(fetch(0, 1, asked, TOPIC), FETCH_V, FetchResponse::read);

        List<FetchResponse.FetchableTopicResponse.PartitionData> partitions = response.responses().get(0).partitions();
        assertThat(partitions).extracting(FetchResponse.FetchableTopicResponse.PartitionData::partitionIndex)
                .containsExactly(0, 1, 2, 7);
        assertThat(partitions.get(1).highWatermark()).isEqualTo(1);
        assertThat(values(partitions.get(1).records())).containsExactly("0:x");
        assertThat(partitions.get(3).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void givenAFetchAtTheHighWatermark_whenAnsweredWithoutWaiting_thenItIsEmptyAndBeyondTheEndIsOutOfRange()
            throws IOException {
        produceAndAwait(client, TOPIC, 0, batch("a", "b"), (short) 1);

        FetchResponse.FetchableTopicResponse.PartitionData atEnd = fetchOne(client, TOPIC, 0, 2);
        FetchResponse.FetchableTopicResponse.PartitionData beyond = fetchOne(client, TOPIC, 0, 3);

        assertThat(atEnd.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(values(atEnd.records())).isEmpty();
        assertThat(atEnd.highWatermark()).isEqualTo(2);
        assertThat(beyond.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(Requests.listOffset(client, TOPIC, 0, -1L).offset()).isEqualTo(2);
        assertThat(Requests.listOffset(client, TOPIC, 0, -2L).offset()).isEqualTo(0);
    }

    @Test
    void givenAnIdempotentBatch_whenTheProducerRetriesIt_thenTheRetryGetsTheOriginalOffsetAndNothingIsAppended()
            throws IOException {
        produceAndAwait(client, TOPIC, 0, batch("before"), (short) 1);
        long first = produceAndAwait(client, TOPIC, 0, idempotentBatch(7, (short) 0, 0, "a", "b"), (short) -1)
                .baseOffset();
        produceAndAwait(client, TOPIC, 0, idempotentBatch(7, (short) 0, 2, "c"), (short) -1);

        var retry = produceAndAwait(client, TOPIC, 0, idempotentBatch(7, (short) 0, 0, "a", "b"), (short) -1);

        assertThat(first).isEqualTo(1);
        assertThat(retry.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(retry.baseOffset()).isEqualTo(1);
        assertThat(broker.logEndOffset(TOPIC, 0)).isEqualTo(4);
    }

    @Test
    void givenAParkedLongPoll_whenTheBrokerShutsDown_thenTheFetchIsAnsweredBeforeTheConnectionCloses()
            throws IOException {
        int parkedFetch = client.send(fetch(60_000, 1, Map.of(0, 0L), TOPIC), FETCH_V);
        await().until(() -> broker.server().replicaManager().parkedFetches() == 1);

        broker.server().shutdown();

        FetchResponse fetched = client.receive(parkedFetch, ApiKey.FETCH, FETCH_V, FetchResponse::read);
        assertThat(fetched.responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(values(fetched.responses().get(0).partitions().get(0).records())).isEmpty();
        assertThat(client.closedByBroker()).isTrue();
    }

    @Test
    void givenOneRequestForPartitionsOnDifferentOwnerThreads_whenProduced_thenEveryPartitionIsAnsweredInRequestOrder()
            throws IOException {
        io.tidelog.protocol.message.ProduceRequest request = Requests.produce(TOPIC, 2, batch("c"), (short) -1);
        for (int partition : new int[] {0, 1}) {
            request.topicData().get(0).partitionData().add(
                    new io.tidelog.protocol.message.ProduceRequest.TopicProduceData.PartitionProduceData()
                            .setIndex(partition).setRecords(io.tidelog.protocol.record.MemoryRecords.wrap(batch("p" + partition))));
        }

        io.tidelog.protocol.message.ProduceResponse response = client.call(request, Requests.PRODUCE_V,
                io.tidelog.protocol.message.ProduceResponse::read);

        var answers = response.responses().get(0).partitionResponses();
        assertThat(answers).extracting(p -> p.index()).containsExactly(2, 0, 1);
        assertThat(answers).allSatisfy(p -> {
            assertThat(p.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(p.baseOffset()).isZero();
        });
        assertThat(values(fetchOne(client, TOPIC, 0, 0).records())).containsExactly("0:p0");
    }

    @Test
    void givenALogAppendTimeTopic_whenProduced_thenTheBrokerTimeIsAnsweredAndStampedIntoTheBatch() throws IOException {
        client.call(Requests.createTopic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime")),
                Requests.CREATE_TOPICS_V, CreateTopicsResponse::read);
        long before = System.currentTimeMillis();
        ByteBuffer old = new io.tidelog.protocol.record.RecordBatchBuilder().append(1_000L, null, "x".getBytes()).build();

        var produced = produceAndAwait(client, "stamped", 0, old, (short) 1);
        var fetched = fetchOne(client, "stamped", 0, 0);

        assertThat(produced.logAppendTimeMs()).isGreaterThanOrEqualTo(before);
        io.tidelog.protocol.record.RecordBatch batch = new io.tidelog.protocol.record.RecordBatch()
                .wrap(((io.tidelog.protocol.record.MemoryRecords) fetched.records()).buffer(), 0);
        assertThat(batch.validate().isValid()).isTrue();
        assertThat(batch.isLogAppendTime()).isTrue();
        assertThat(batch.maxTimestamp()).isEqualTo(produced.logAppendTimeMs());
    }
}

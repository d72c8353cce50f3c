package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.frame.DecodedRequest;
import io.tidelog.protocol.message.ApiVersionsResponse;
import io.tidelog.protocol.message.InitProducerIdResponse;
import io.tidelog.protocol.message.ProduceRequest;
import io.tidelog.protocol.message.ProduceResponse;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.RecordBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Apache Kafka accepts a batch with any sequence from a producer it holds no state for on a
 * partition (a new producer, or one whose records are all gone). So a producer must not pipeline
 * a partition's later batches while its first batch of an epoch is unacknowledged: if that first
 * batch is refused retriably (a just-created partition whose leader is not ready answers
 * NOT_LEADER_OR_FOLLOWER), a later batch would be appended first, and the first one, resent,
 * would land after it. Seen against a real Kafka 4.3.1 broker right after topic creation.
 *
 * <p>The scripted broker here keeps Kafka's rules for one partition: no state, any sequence is
 * accepted; same epoch, only the next sequence; a newer epoch, only sequence 0. Its first Produce
 * is refused with NOT_LEADER_OR_FOLLOWER.
 */
class FirstBatchOrderTest {

    private final List<String> produced = new CopyOnWriteArrayList<>();
    private final AtomicInteger inits = new AtomicInteger();
    private final AtomicInteger produceRequests = new AtomicInteger();
    private short stateEpoch = -1;
    private int lastSequence = -1;
    private long nextOffset;

    @RepeatedTest(5)
    void givenThePartitionsFirstBatchIsRefusedRetriably_whenLaterBatchesAreReady_thenEveryRecordIsStoredInSendOrder()
            throws Exception {
        ScriptedBroker[] holder = new ScriptedBroker[1];
        int count = 200;
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (ScriptedBroker broker = new ScriptedBroker(request -> answer(holder[0], request))) {
            holder[0] = broker;
            try (Producer<String, String> producer = new TidelogProducer<>(Map.of(
                    "bootstrap.servers", "127.0.0.1:" + broker.port(), "batch.size", 100, "linger.ms", 0,
                    "retry.backoff.ms", 1), Serializers.string(), Serializers.string())) {
                for (int i = 0; i < count; i++) {
                    futures.add(producer.send(new ProducerRecord<>("old", 0, null, String.format("value-%03d", i))));
                }
                producer.flush();
            }
        }
        for (int i = 0; i < count; i++) {
            assertThat(futures.get(i).get(30, TimeUnit.SECONDS).offset())
                    .as("offset of record %d; batches the broker saw: %s", i, produced).isEqualTo(i);
        }
    }

    private synchronized Object answer(ScriptedBroker broker, DecodedRequest request) {
        ApiKey api = request.header().api();
        return switch (api) {
            case API_VERSIONS -> new ApiVersionsResponse().setApiKeys(List.of(
                    range(ApiKey.PRODUCE, 3, 11), range(ApiKey.METADATA, 0, 12), range(ApiKey.API_VERSIONS, 0, 4),
                    range(ApiKey.INIT_PRODUCER_ID, 0, 4)));
            case METADATA -> broker.metadata("old");
            case INIT_PRODUCER_ID -> new InitProducerIdResponse().setProducerId(7)
                    .setProducerEpoch((short) inits.getAndIncrement());
            case PRODUCE -> produce((ProduceRequest) request.body());
            default -> throw new IllegalStateException("unexpected " + api);
        };
    }

    /** Kafka's sequence rules for partition 0 of "old", after refusing the very first Produce. */
    private ProduceResponse produce(ProduceRequest request) {
        MemoryRecords records = (MemoryRecords) request.topicData().get(0).partitionData().get(0).records();
        RecordBatch batch = new RecordBatch().wrap(records.buffer(), 0);
        short epoch = batch.producerEpoch();
        int sequence = batch.baseSequence();
        String seen = "epoch=" + epoch + " seq=" + sequence + ".." + (sequence + batch.lastOffsetDelta());
        if (produceRequests.incrementAndGet() == 1) {
            produced.add(seen + " NOT_LEADER_OR_FOLLOWER");
            return VersionNegotiationTest.produceAnswer(Errors.NOT_LEADER_OR_FOLLOWER, -1);
        }
        boolean accepted = stateEpoch < 0
                || (epoch == stateEpoch && sequence == lastSequence + 1)
                || (epoch > stateEpoch && sequence == 0);
        if (!accepted) {
            produced.add(seen + " OUT_OF_ORDER_SEQUENCE_NUMBER");
            return VersionNegotiationTest.produceAnswer(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
        }
        long baseOffset = nextOffset;
        nextOffset += batch.lastOffsetDelta() + 1;
        stateEpoch = epoch;
        lastSequence = sequence + batch.lastOffsetDelta();
        produced.add(seen + " at " + baseOffset);
        return VersionNegotiationTest.produceAnswer(Errors.NONE, baseOffset);
    }

    private static ApiVersionsResponse.ApiVersion range(ApiKey api, int min, int max) {
        return new ApiVersionsResponse.ApiVersion().setApiKey(api.id()).setMinVersion((short) min)
                .setMaxVersion((short) max);
    }
}

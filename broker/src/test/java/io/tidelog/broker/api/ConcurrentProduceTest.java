package io.tidelog.broker.api;

import io.tidelog.broker.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.CreateTopicsResponse;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.message.ProduceResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several connections produce concurrently to partitions owned by different event loops, each
 * pipelining requests; afterwards every partition is read back. Checked like a history checker:
 * no acknowledged record lost, offsets dense, no value twice, each producer's acknowledged offsets
 * increasing per partition, and the offset the broker acknowledged holds the value sent.
 * Seeded: {@code -Dtidelog.seed=N} replays a run.
 */
class ConcurrentProduceTest {

    private static final String TOPIC = "busy";
    private static final int PARTITIONS = 4;
    private static final int PRODUCERS = 4;
    private static final int BATCHES_PER_PRODUCER = 150;
    private static final int PIPELINE = 5;

    @TempDir
    Path dir;

    @RepeatedTest(2)
    void givenConcurrentPipelinedProducers_whenEverythingIsReadBack_thenNoLossNoDuplicatesNoGapsNoReordering()
            throws Exception {
        long seed = Long.getLong("tidelog.seed", System.nanoTime());
        try (TestBroker broker = TestBroker.start(dir.resolve("run-" + seed))) {
            try (RawClient admin = broker.connect()) {
                CreateTopicsResponse created = admin.call(Requests.createTopic(TOPIC, PARTITIONS, Map.of()),
                        Requests.CREATE_TOPICS_V, CreateTopicsResponse::read);
                assertThat(created.topics().get(0).errorCode()).isEqualTo(Errors.NONE.code());
            }
            ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
            List<Future<Map<String, Long>>> acknowledged = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                acknowledged.add(pool.submit(() -> produce(broker, producer, new Random(seed + producer))));
            }
            Map<String, Long> offsetOfValue = new HashMap<>();
            for (Future<Map<String, Long>> future : acknowledged) {
                offsetOfValue.putAll(future.get(120, TimeUnit.SECONDS));
            }
            pool.shutdown();

            Set<String> seen = new HashSet<>();
            try (RawClient reader = broker.connect()) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    List<String> read = readAll(reader, partition);
                    for (int i = 0; i < read.size(); i++) {
                        String[] offsetAndValue = read.get(i).split(":", 2);
                        assertThat(Long.parseLong(offsetAndValue[0])).as("dense offsets, seed %d", seed).isEqualTo(i);
                        assertThat(seen.add(offsetAndValue[1])).as("duplicate %s, seed %d", offsetAndValue[1], seed)
                                .isTrue();
                        Long acked = offsetOfValue.get(offsetAndValue[1]);
                        assertThat(acked).as("acknowledged offset of %s, seed %d", offsetAndValue[1], seed)
                                .isEqualTo((long) i);
                    }
                }
            }
            assertThat(seen).as("lost writes, seed %d", seed).containsAll(offsetOfValue.keySet());
            assertThat(offsetOfValue).hasSize(PRODUCERS * BATCHES_PER_PRODUCER);
        }
    }

    /** Sends batches of one record "p<producer>-<n>@<partition>" with up to PIPELINE in flight. */
    private static Map<String, Long> produce(TestBroker broker, int producer, Random random) throws Exception {
        Map<String, Long> offsets = new HashMap<>();
        Map<Integer, Long> lastOffsetByPartition = new HashMap<>();
        try (RawClient client = broker.connect()) {
            List<int[]> inFlight = new ArrayList<>();
            List<String> inFlightValues = new ArrayList<>();
            for (int n = 0; n < BATCHES_PER_PRODUCER || !inFlight.isEmpty(); ) {
                if (n < BATCHES_PER_PRODUCER && inFlight.size() < PIPELINE) {
                    int partition = random.nextInt(PARTITIONS);
                    short acks = random.nextBoolean() ? (short) 1 : (short) -1;
                    String value = "p" + producer + "-" + n + "@" + partition;
                    int correlation = client.send(Requests.produce(TOPIC, partition, Requests.batch(value), acks),
                            Requests.PRODUCE_V);
                    inFlight.add(new int[] {correlation, partition});
                    inFlightValues.add(value);
                    n++;
                    continue;
                }
                int[] oldest = inFlight.remove(0);
                String value = inFlightValues.remove(0);
                ProduceResponse response = client.receive(oldest[0], io.tidelog.protocol.ApiKey.PRODUCE,
                        Requests.PRODUCE_V, ProduceResponse::read);
                var answer = response.responses().get(0).partitionResponses().get(0);
                assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
                Long previous = lastOffsetByPartition.put(oldest[1], answer.baseOffset());
                if (previous != null) {
                    assertThat(answer.baseOffset()).as("producer %d offsets increase", producer).isGreaterThan(previous);
                }
                offsets.put(value, answer.baseOffset());
            }
        }
        return offsets;
    }

    private static List<String> readAll(RawClient reader, int partition) throws Exception {
        List<String> all = new ArrayList<>();
        while (true) {
            FetchResponse.FetchableTopicResponse.PartitionData data = Requests.fetchOne(reader, TOPIC, partition, all.size());
            List<String> values = Requests.values(data.records());
            List<String> fresh = new ArrayList<>();
            for (String v : values) {
                if (Long.parseLong(v.split(":", 2)[0]) >= all.size() + fresh.size()) {
                    fresh.add(v);
                }
            }
            if (fresh.isEmpty()) {
                assertThat((long) all.size()).isEqualTo(data.highWatermark());
                return all;
            }
            all.addAll(fresh);
        }
    }
}

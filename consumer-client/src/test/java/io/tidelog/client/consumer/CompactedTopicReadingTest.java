package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.broker.log.PartitionLog;
import io.tidelog.client.common.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A compacted topic read by our consumer with CRC checks on: the cleaner leaves batches whose
 * record count no longer equals lastOffsetDelta + 1 and offsets with gaps inside and between
 * batches. The consumer must read the latest value of every key once, at its original offset.
 */
class CompactedTopicReadingTest {

    private static final String TOPIC = "table";

    @TempDir
    Path dataDir;
    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(dataDir, Map.of("log.cleaner.backoff.ms", "50"));
        cluster.admin().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
                "cleanup.policy", "compact", "segment.bytes", "8192", "min.cleanable.dirty.ratio", "0.01"))))
                .all().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private record Written(long offset, String key, String value) {
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(strings = {"none", "lz4"})
    void givenACleanedCompactedTopic_whenOurConsumerReadsFromTheBeginning_thenItGetsTheLatestValueOfEachKeyAtItsOffset(
            String codec) throws Exception {
        PartitionLog log = cluster.server().replicaManager().partition(TOPIC, 0).log();
        List<Written> updates = new ArrayList<>();
        try (KafkaProducer<String, String> producer = cluster.kafkaProducer(Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, 5))) {
            for (int round = 0; round < 20; round++) {
                // Round 0 writes every key; later rounds only the even ones, so the cleaner
                // removes some records of round 0's batches and keeps the others.
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                for (int key = 0; key < 40; key += round == 0 ? 1 : 2) {
                    keys.add("key-" + key);
                    sends.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + key, "round-" + round + "-" + "v".repeat(40))));
                }
                for (int i = 0; i < keys.size(); i++) {
                    updates.add(new Written(sends.get(i).get(30, TimeUnit.SECONDS).offset(), keys.get(i),
                            "round-" + round + "-" + "v".repeat(40)));
                }
            }
            long lastUpdate = updates.get(updates.size() - 1).offset();
            for (int i = 0; log.activeSegmentBaseOffset() <= lastUpdate && i < 10_000; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "filler-" + i, "f".repeat(100))).get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> log.cleanerCheckpoint().firstDirtyOffset() > lastUpdate);
        }

        Map<String, Written> latest = new LinkedHashMap<>();
        updates.forEach(w -> latest.put(w.key(), w));
        List<Written> read = new ArrayList<>();
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of("check.crcs", "true"))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(new Written(record.offset(), record.key(), record.value()));
                }
            }
            assertThat(consumer.position(tp)).as("the consumer reached the end").isEqualTo(end);
        }
        assertThat(read.stream().filter(w -> w.key().startsWith("key-")).toList())
                .containsExactlyElementsOf(latest.values().stream().sorted(Comparator.comparingLong(Written::offset)).toList());
        assertThat(read).extracting(Written::offset).isSorted().doesNotHaveDuplicates();
    }
}

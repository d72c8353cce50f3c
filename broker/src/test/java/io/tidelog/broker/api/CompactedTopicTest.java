package io.tidelog.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tidelog.broker.log.PartitionLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction seen through Kafka's own clients: a topic created by Admin with
 * {@code cleanup.policy=compact}, many updates per key from KafkaProducer, the broker's cleaner
 * running in the background, and a KafkaConsumer reading from the beginning gets the latest
 * value of each key, once, at the offset the producer was given.
 */
class CompactedTopicTest {

    private static final String TOPIC = "table";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dir;
    private TestBroker broker;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception {
        broker = new TestBroker(dir, Map.of("log.cleaner.backoff.ms", "50"));
        bootstrap = "127.0.0.1:" + broker.server().boundAddress().getPort();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
                    "segment.bytes", "8192", "min.cleanable.dirty.ratio", "0.01")))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(props);
    }

    private record Written(long offset, String key, String value) {
    }

    @Test
    void givenManyUpdatesPerKey_whenTheCleanerHasRun_thenAConsumerFromTheBeginningReadsTheLatestValueOfEachKeyOnce()
            throws Exception {
        List<Written> updates = new ArrayList<>();
        PartitionLog log = broker.partition(TOPIC, 0).log();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int round = 0; round < 30; round++) {
                List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>();
                List<String[]> sent = new ArrayList<>();
                for (int key = 0; key < 40; key++) {
                    String value = "round-" + round + "-" + "v".repeat(40);
                    sends.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + key, value)));
                    sent.add(new String[] {"key-" + key, value});
                }
                for (int i = 0; i < sends.size(); i++) {
                    updates.add(new Written(sends.get(i).get(30, TimeUnit.SECONDS).offset(), sent.get(i)[0], sent.get(i)[1]));
                }
            }
            long lastUpdate = updates.get(updates.size() - 1).offset();
            // Unique keys until the updates are all in sealed segments (the active one is never cleaned).
            for (int i = 0; log.activeSegmentBaseOffset() <= lastUpdate && i < 10_000; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "filler-" + i, "f".repeat(100))).get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> log.cleanerCheckpoint().firstDirtyOffset() > lastUpdate);

            Map<String, Written> latest = new LinkedHashMap<>();
            updates.forEach(w -> latest.put(w.key(), w));
            List<Written> read = readFromBeginning();
            assertThat(read.stream().filter(w -> w.key().startsWith("key-")).toList())
                    .containsExactlyElementsOf(latest.values().stream()
                            .sorted(java.util.Comparator.comparingLong(Written::offset)).toList());
            assertThat(read.stream().filter(w -> w.key().startsWith("filler-")).map(Written::key).distinct().count())
                    .isEqualTo(read.stream().filter(w -> w.key().startsWith("filler-")).count());
        }
    }

    @Test
    void givenACompactedTopic_whenAKeylessRecordIsProduced_thenTheSendFailsWithInvalidRecord() {
        try (KafkaProducer<String, String> producer = producer()) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, null, "no key")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("Compacted topic cannot accept message without key");
        }
    }

    private List<Written> readFromBeginning() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Written> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            long end = consumer.endOffsets(List.of(TP)).get(TP);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(TP) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.add(new Written(record.offset(), record.key(), record.value()));
                }
            }
            assertThat(consumer.position(TP)).as("the consumer reached the end").isEqualTo(end);
        }
        return read;
    }
}

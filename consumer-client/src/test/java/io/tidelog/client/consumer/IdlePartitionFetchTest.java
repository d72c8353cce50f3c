package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.client.common.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer assigned a busy partition and an idle one. A fetch that asks only for the idle
 * partition is parked by the broker for fetch.max.wait.ms; while it is parked, no fetch can go to
 * that broker, so if the consumer sends one every time the busy partition's data is still being
 * drained, each chunk of the busy partition costs a whole fetch.max.wait.ms. With a long wait
 * that turns a read of a few hundred kilobytes into minutes; the consumer must read it within
 * the deadline, however long the wait. And a partition that will not drain (stuck at a record
 * the application cannot deserialize) must not hold back its broker's other partitions.
 */
class IdlePartitionFetchTest {

    private static final int CHUNKS = 40;

    @TempDir
    static Path dataDir;
    static TestCluster cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = TestCluster.start(dataDir);
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    @Test
    void givenOneIdlePartition_whenTheBusyOneIsReadInManyFetches_thenNoFetchWaitsOutTheLongPollOnTheIdleOne()
            throws Exception {
        String topic = "busy-and-idle";
        cluster.createTopic(topic, 2);
        String value = "v".repeat(1000);
        int records = CHUNKS * 4;
        try (KafkaProducer<String, String> producer = cluster.kafkaProducer(Map.of())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, value));
            }
            producer.flush();
        }
        // About four records per fetch of the busy partition; a parked fetch would wait 20 s.
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES, "4096", ConsumerConfig.FETCH_MAX_WAIT_MS, "20000",
                ConsumerConfig.REQUEST_TIMEOUT_MS, "60000", ConsumerConfig.MAX_POLL_RECORDS, "1"))) {
            consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read < records && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            assertThat(read).as("records of the busy partition read within 30 s").isEqualTo(records);
        }
    }

    @Test
    void givenAPartitionStuckAtARecordItCannotDeserialize_whenTheApplicationKeepsPolling_thenItsOtherPartitionsStillGetNewRecords()
            throws Exception {
        String topic = "poison-and-healthy";
        cluster.createTopic(topic, 2);
        try (KafkaProducer<String, String> producer = cluster.kafkaProducer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "poison")).get(30, TimeUnit.SECONDS);
        }
        Deserializer<String> refusesPoison = (t, bytes) -> {
            String text = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
            if ("poison".equals(text)) {
                throw new IllegalArgumentException("cannot read this one");
            }
            return text;
        };
        Map<String, Object> settings = cluster.consumerSettings(Map.of());
        settings.remove(ConsumerConfig.KEY_DESERIALIZER);
        settings.remove(ConsumerConfig.VALUE_DESERIALIZER);
        try (TidelogConsumer<String, String> consumer = new TidelogConsumer<>(settings, refusesPoison, refusesPoison)) {
            consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            boolean stuck = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!stuck && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(100));
                } catch (RecordDeserializationException e) {
                    stuck = true;
                }
            }
            assertThat(stuck).as("partition 0 reports its poison record").isTrue();

            int healthy = 20;
            try (KafkaProducer<String, String> producer = cluster.kafkaProducer(Map.of())) {
                for (int i = 0; i < healthy; i++) {
                    producer.send(new ProducerRecord<>(topic, 1, "k" + i, "fine-" + i));
                }
                producer.flush();
            }
            int read = 0;
            while (read < healthy && System.nanoTime() < deadline) {
                try {
                    read += consumer.poll(Duration.ofMillis(100)).count();
                } catch (RecordDeserializationException e) {
                    assertThat(e.getMessage()).contains(topic + "-0");
                }
            }
            assertThat(read).as("records produced to partition 1 after partition 0 got stuck").isEqualTo(healthy);
        }
    }
}

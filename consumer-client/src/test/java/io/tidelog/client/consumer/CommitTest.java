package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.client.common.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed offsets: sync, async, auto-commit, read back by us and by Kafka's consumer. */
class CommitTest {

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

    private static TopicPartition topicWith(String topic, int records) throws Exception {
        cluster.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = cluster.kafkaProducer(Map.of())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "v" + i));
            }
        }
        return new TopicPartition(topic, 0);
    }

    private static Map<String, Object> group(String id, boolean autoCommit) {
        return Map.of(ConsumerConfig.GROUP_ID, id, ConsumerConfig.ENABLE_AUTO_COMMIT, autoCommit,
                ConsumerConfig.MAX_POLL_RECORDS, 10);
    }

    @Test
    void givenACommitSyncAfterTenRecordsWhenANewConsumerOfTheGroupStartsThenItResumesAtOffsetTen() throws Exception {
        TopicPartition tp = topicWith("commit-sync", 30);
        try (TidelogConsumer<String, String> first = cluster.consumer(group("g-sync", false))) {
            first.assign(List.of(tp));
            List<ConsumerRecord<String, String>> read = AssignedReadingTest.pollUntil(first, 10);
            assertThat(read).hasSize(10);
            first.commitSync();
            assertThat(first.committed(Set.of(tp))).containsEntry(tp,
                    new io.tidelog.client.consumer.OffsetAndMetadata(10, read.get(9).leaderEpoch(), ""));
        }
        try (TidelogConsumer<String, String> second = cluster.consumer(group("g-sync", false))) {
            second.assign(List.of(tp));
            assertThat(second.position(tp)).isEqualTo(10);
            assertThat(AssignedReadingTest.pollUntil(second, 1).get(0).value()).isEqualTo("v10");
        }
    }

    @Test
    void givenExplicitOffsetsWithMetadataWhenCommittedThenKafkaConsumerSeesTheSameOffsetAndMetadata()
            throws Exception {
        TopicPartition tp = topicWith("commit-explicit", 5);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(group("g-explicit", false))) {
            consumer.assign(List.of(tp));
            consumer.commitSync(Map.of(tp, new io.tidelog.client.consumer.OffsetAndMetadata(3, "note")));
        }
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", cluster.bootstrap(), "group.id", "g-explicit",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName()))) {
            org.apache.kafka.common.TopicPartition ktp = new org.apache.kafka.common.TopicPartition(tp.topic(), 0);
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed =
                    kafka.committed(Set.of(ktp), Duration.ofSeconds(30));
            assertThat(committed.get(ktp).offset()).isEqualTo(3);
            assertThat(committed.get(ktp).metadata()).isEqualTo("note");
        }
    }

    @Test
    void givenCommitAsyncWhenTheNextPollRunsThenTheCallbackReportsSuccessOnThePollThread() throws Exception {
        TopicPartition tp = topicWith("commit-async", 5);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(group("g-async", false))) {
            consumer.assign(List.of(tp));
            AssignedReadingTest.pollUntil(consumer, 5);
            AtomicReference<Map<TopicPartition, io.tidelog.client.consumer.OffsetAndMetadata>> done =
                    new AtomicReference<>();
            AtomicReference<Thread> callbackThread = new AtomicReference<>();
            consumer.commitAsync((offsets, error) -> {
                assertThat(error).isNull();
                done.set(offsets);
                callbackThread.set(Thread.currentThread());
            });
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (done.get() == null && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(50));
            }
            assertThat(done.get()).isNotNull();
            assertThat(done.get().get(tp).offset()).isEqualTo(5);
            assertThat(callbackThread.get()).isSameAs(Thread.currentThread());
            assertThat(consumer.committed(Set.of(tp)).get(tp).offset()).isEqualTo(5);
        }
    }

    @Test
    void givenAutoCommitWhenRecordsWerePolledThenTheirPositionsAreCommittedWithinTheInterval() throws Exception {
        TopicPartition tp = topicWith("commit-auto", 20);
        Map<String, Object> settings = new java.util.HashMap<>(group("g-auto", true));
        settings.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS, 100);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(settings)) {
            consumer.assign(List.of(tp));
            AssignedReadingTest.pollUntil(consumer, 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(50));
                io.tidelog.client.consumer.OffsetAndMetadata committed = consumer.committed(Set.of(tp)).get(tp);
                return committed != null && committed.offset() == 20;
            });
        }
    }

    @Test
    void givenAutoCommitWhenTheConsumerClosesThenWhatPollReturnedIsCommitted() throws Exception {
        TopicPartition tp = topicWith("commit-on-close", 10);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(group("g-close-commit", true))) {
            consumer.assign(List.of(tp));
            assertThat(AssignedReadingTest.pollUntil(consumer, 10)).hasSize(10);
        }
        try (TidelogConsumer<String, String> consumer = cluster.consumer(group("g-close-commit", false))) {
            assertThat(consumer.committed(Set.of(tp)).get(tp).offset()).isEqualTo(10);
        }
    }
}

package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.client.common.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Positions: seeks, resets by policy, out-of-range handling, pause and wakeup. */
class PositionsTest {

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
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
            }
        }
        return new TopicPartition(topic, 0);
    }

    @Test
    void givenTenRecordsWhenSeekingThenPollStartsAtTheSoughtOffsetAndPositionFollows() throws Exception {
        TopicPartition tp = topicWith("seek", 10);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 6);
            assertThat(consumer.position(tp)).isEqualTo(6);
            List<ConsumerRecord<String, String>> records = AssignedReadingTest.pollUntil(consumer, 4);
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(6L, 7L, 8L, 9L);
            assertThat(consumer.position(tp)).isEqualTo(10);

            consumer.seekToBeginning(List.of(tp));
            assertThat(consumer.position(tp)).isZero();
            assertThat(AssignedReadingTest.pollUntil(consumer, 10).get(0).value()).isEqualTo("v0");

            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(10);
            assertThat(consumer.poll(Duration.ofMillis(100)).isEmpty()).isTrue();
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 10L);
            assertThat(consumer.partitionsFor("seek")).containsExactly(tp);
        }
    }

    @Test
    void givenResetLatestWhenAssignedThenOnlyRecordsWrittenAfterwardsAreRead() throws Exception {
        TopicPartition tp = topicWith("reset-latest", 5);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET,
                "latest"))) {
            consumer.assign(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(5);
            try (KafkaProducer<String, String> producer = cluster.kafkaProducer(Map.of())) {
                producer.send(new ProducerRecord<>(tp.topic(), 0, "k", "after"));
            }
            List<ConsumerRecord<String, String>> records = AssignedReadingTest.pollUntil(consumer, 1);
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("after");
        }
    }

    @Test
    void givenResetNoneAndNoCommittedOffsetWhenPollingThenNoOffsetForPartitionNamesThePartition() throws Exception {
        TopicPartition tp = topicWith("reset-none", 3);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET,
                "none", ConsumerConfig.GROUP_ID, "g-reset-none"))) {
            consumer.assign(List.of(tp));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5)))
                    .isInstanceOf(NoOffsetForPartitionException.class)
                    .hasMessageContaining("reset-none-0").hasMessageContaining("auto.offset.reset");
            consumer.seek(tp, 1);
            assertThat(AssignedReadingTest.pollUntil(consumer, 2)).extracting(ConsumerRecord::offset)
                    .containsExactly(1L, 2L);
        }
    }

    @Test
    void givenDeletedRecordsBelowThePositionWhenResetIsEarliestThenReadingResumesAtTheNewLogStart() throws Exception {
        TopicPartition tp = topicWith("oor-earliest", 20);
        cluster.deleteRecordsBefore(tp.topic(), 0, 12);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 3);
            List<ConsumerRecord<String, String>> records = AssignedReadingTest.pollUntil(consumer, 8);
            assertThat(records).extracting(ConsumerRecord::offset).startsWith(12L).hasSize(8);
        }
    }

    @Test
    void givenDeletedRecordsBelowThePositionWhenResetIsLatestThenReadingJumpsToTheEnd() throws Exception {
        TopicPartition tp = topicWith("oor-latest", 20);
        cluster.deleteRecordsBefore(tp.topic(), 0, 12);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET,
                "latest"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 3);
            assertThat(consumer.poll(Duration.ofMillis(500)).isEmpty()).isTrue();
            assertThat(consumer.position(tp)).isEqualTo(20);
        }
    }

    @Test
    void givenDeletedRecordsBelowThePositionWhenResetIsNoneThenPollThrowsOffsetOutOfRangeWithThePosition()
            throws Exception {
        TopicPartition tp = topicWith("oor-none", 20);
        cluster.deleteRecordsBefore(tp.topic(), 0, 12);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET,
                "none"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 3);
            OffsetOutOfRangeException error = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (error == null && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (OffsetOutOfRangeException e) {
                    error = e;
                }
            }
            assertThat(error).isNotNull();
            assertThat(error.offsetOutOfRangePartitions()).containsEntry(tp, 3L);
            assertThat(error.getMessage()).contains("seek");
            consumer.seekToBeginning(List.of(tp));
            assertThat(AssignedReadingTest.pollUntil(consumer, 8).get(0).offset()).isEqualTo(12L);
        }
    }

    @Test
    void givenAPausedPartitionWhenPollingThenItsRecordsComeOnlyAfterResume() throws Exception {
        TopicPartition paused = topicWith("paused-a", 5);
        TopicPartition active = topicWith("paused-b", 5);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of())) {
            consumer.assign(List.of(paused, active));
            consumer.pause(List.of(paused));
            assertThat(consumer.paused()).containsExactly(paused);
            List<ConsumerRecord<String, String>> first = AssignedReadingTest.pollUntil(consumer, 5);
            assertThat(first).allMatch(r -> r.topic().equals("paused-b")).hasSize(5);
            assertThat(consumer.poll(Duration.ofMillis(300)).isEmpty()).isTrue();

            consumer.resume(List.of(paused));
            List<ConsumerRecord<String, String>> second = AssignedReadingTest.pollUntil(consumer, 5);
            assertThat(second).allMatch(r -> r.topic().equals("paused-a")).hasSize(5);
        }
    }

    @Test
    void givenAPollBlockedOnAnEmptyPartitionWhenAnotherThreadCallsWakeupThenThePollThrowsWakeupException()
            throws Exception {
        TopicPartition tp = topicWith("wakeup", 0);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread poller = new Thread(() -> {
                try {
                    consumer.poll(Duration.ofSeconds(60));
                } catch (Throwable t) {
                    thrown.set(t);
                } finally {
                    done.countDown();
                }
            });
            poller.start();
            consumer.wakeup();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(thrown.get()).isInstanceOf(WakeupException.class);
        }
    }

    @Test
    void givenAWakeupBeforePollWhenPollingThenTheNextPollThrowsOnceAndTheFollowingOneWorks() throws Exception {
        TopicPartition tp = topicWith("wakeup-early", 1);
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.wakeup();
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).isInstanceOf(WakeupException.class);
            assertThat(AssignedReadingTest.pollUntil(consumer, 1)).hasSize(1);
        }
    }

    @Test
    void givenAMissingTopicWhenAssignedThenPollNamesTheTopicAndSaysToCreateIt() {
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of(
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS, "false"))) {
            consumer.assign(List.of(new TopicPartition("no-such-topic", 0)));
            UnknownTopicException error = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (error == null && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (UnknownTopicException e) {
                    error = e;
                }
            }
            assertThat(error).isNotNull();
            assertThat(error.topics()).containsExactly("no-such-topic");
            assertThat(error.getMessage()).contains("create it");
        }
    }
}

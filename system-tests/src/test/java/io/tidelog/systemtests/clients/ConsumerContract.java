package io.tidelog.systemtests.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.client.consumer.Consumer;
import io.tidelog.client.consumer.ConsumerRecord;
import io.tidelog.client.consumer.Deserializers;
import io.tidelog.client.consumer.NoOffsetForPartitionException;
import io.tidelog.client.consumer.OffsetAndMetadata;
import io.tidelog.client.consumer.TidelogConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a user of our consumer observes, against any Kafka-protocol broker: assign/seek/poll and
 * positions, a group of two of our consumers sharing a topic's partitions, committing and resuming
 * where the group left off, each {@code auto.offset.reset}, and pause/resume. Records are written
 * by Kafka's own producer (one partition at a time, so offsets are known). Subclasses pick the
 * broker with {@link Against}.
 */
abstract class ConsumerContract {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private BrokerTarget broker;

    @BeforeEach
    void connect(BrokerTarget target) {
        this.broker = target;
    }

    @Test
    void givenTwoPartitions_whenAssignedAndOneIsSoughtToAnOffset_thenPollReturnsEachPartitionFromItsPositionInOrder()
            throws Exception {
        String topic = newName("assign-seek");
        broker.direct().createTopic(topic, 2);
        produce(topic, 0, "p0-", 50);
        produce(topic, 1, "p1-", 50);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (Consumer<String, String> consumer = consumer(Map.of())) {
            consumer.assign(List.of(p0, p1));
            consumer.seek(p0, 10);
            consumer.seekToBeginning(List.of(p1));
            Map<Integer, List<ConsumerRecord<String, String>>> read = pollUntil(consumer, 90);

            assertThat(offsets(read.get(0))).as("%s: offsets read from partition 0 after seek(10)", broker)
                    .containsExactlyElementsOf(range(10, 50));
            assertThat(offsets(read.get(1))).as("%s: offsets read from partition 1 from the beginning", broker)
                    .containsExactlyElementsOf(range(0, 50));
            assertThat(read.get(0).get(0).value()).isEqualTo("p0-10");
            assertThat(consumer.position(p0)).isEqualTo(50);
            assertThat(consumer.position(p1)).isEqualTo(50);
            assertThat(consumer.assignment()).containsExactlyInAnyOrder(p0, p1);
        }
    }

    @Test
    void givenTwoOfOurConsumersInOneGroup_whenTheySubscribeToATopic_thenTheySplitItsPartitionsAndTogetherReadEveryRecordOnce()
            throws Exception {
        String topic = newName("group-split");
        String group = newName("group");
        int partitions = 4;
        broker.direct().createTopic(topic, partitions);
        Map<String, Object> groupSettings = Map.of("group.id", group, "auto.offset.reset", "earliest");
        try (Consumer<String, String> first = consumer(groupSettings);
             Consumer<String, String> second = consumer(groupSettings)) {
            first.subscribe(List.of(topic));
            second.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            awaitPolling(List.of(first, second), read, () -> first.assignment().size() + second.assignment().size() == partitions
                    && !first.assignment().isEmpty() && !second.assignment().isEmpty(),
                    "both consumers to own partitions");
            for (int p = 0; p < partitions; p++) {
                produce(topic, p, "g" + p + "-", 25);
            }
            awaitPolling(List.of(first, second), read, () -> read.size() >= partitions * 25, "every record to be read");
            pollBoth(first, second, read);

            Set<TopicPartition> owned = new HashSet<>(first.assignment());
            assertThat(owned).as("%s: the two consumers' assignments do not overlap", broker)
                    .doesNotContainAnyElementsOf(second.assignment());
            owned.addAll(second.assignment());
            assertThat(owned).as("%s: together they own every partition", broker).hasSize(partitions);
            assertThat(read.stream().map(ConsumerRecord::value).toList())
                    .as("%s: every record read exactly once by the group", broker)
                    .hasSize(partitions * 25).doesNotHaveDuplicates();
        }
    }

    @Test
    void givenAGroupThatCommittedHalfATopic_whenANewConsumerOfThatGroupStarts_thenItResumesAtTheCommittedOffset()
            throws Exception {
        String topic = newName("commit-resume");
        String group = newName("group");
        broker.direct().createTopic(topic, 1);
        produce(topic, 0, "r-", 60);
        TopicPartition partition = new TopicPartition(topic, 0);
        Map<String, Object> settings = Map.of("group.id", group, "auto.offset.reset", "earliest",
                "enable.auto.commit", "false");
        try (Consumer<String, String> first = consumer(settings)) {
            first.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            awaitPolling(List.of(first), read, () -> read.size() >= 30, "30 records");
            first.commitSync(Map.of(partition, new OffsetAndMetadata(30, "half")));
            assertThat(first.committed(Set.of(partition)).get(partition).offset())
                    .as("%s: committed offset as the group coordinator returns it", broker).isEqualTo(30);
        }
        try (Consumer<String, String> second = consumer(settings)) {
            second.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            awaitPolling(List.of(second), read, () -> read.size() >= 30, "the other 30 records");
            assertThat(offsets(read)).as("%s: what the resumed consumer reads", broker)
                    .containsExactlyElementsOf(range(30, 60));
            assertThat(second.committed(Set.of(partition)).get(partition).metadata()).isEqualTo("half");
        }
    }

    @Test
    void givenNoCommittedOffset_whenAutoOffsetResetIsEarliestLatestOrNone_thenThePositionStartsAtTheLogStartTheLogEndOrFails()
            throws Exception {
        String topic = newName("reset");
        broker.direct().createTopic(topic, 1);
        produce(topic, 0, "old-", 10);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Consumer<String, String> earliest = consumer(Map.of("auto.offset.reset", "earliest"));
             Consumer<String, String> latest = consumer(Map.of("auto.offset.reset", "latest"));
             Consumer<String, String> none = consumer(Map.of("auto.offset.reset", "none"))) {
            earliest.assign(List.of(partition));
            latest.assign(List.of(partition));
            none.assign(List.of(partition));
            assertThat(earliest.position(partition)).as("%s: earliest", broker).isZero();
            assertThat(latest.position(partition)).as("%s: latest", broker).isEqualTo(10);
            Throwable noOffset = catchThrowable(() -> none.poll(POLL));
            assertThat(noOffset).as("%s: none, without a committed offset", broker)
                    .isInstanceOf(NoOffsetForPartitionException.class);

            produce(topic, 0, "new-", 5);
            List<ConsumerRecord<String, String>> fromLatest = new ArrayList<>();
            awaitPolling(List.of(latest), fromLatest, () -> fromLatest.size() >= 5, "the 5 new records");
            assertThat(fromLatest.stream().map(ConsumerRecord::value).toList())
                    .containsExactly("new-0", "new-1", "new-2", "new-3", "new-4");
        }
    }

    @Test
    void givenAPausedPartition_whenPolling_thenOnlyTheOtherPartitionDeliversUntilItIsResumed() throws Exception {
        String topic = newName("pause");
        broker.direct().createTopic(topic, 2);
        produce(topic, 0, "a-", 20);
        produce(topic, 1, "b-", 20);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (Consumer<String, String> consumer = consumer(Map.of("auto.offset.reset", "earliest"))) {
            consumer.assign(List.of(p0, p1));
            consumer.pause(List.of(p0));
            List<ConsumerRecord<String, String>> whilePaused = new ArrayList<>();
            awaitPolling(List.of(consumer), whilePaused, () -> whilePaused.size() >= 20, "partition 1's records");
            consumer.poll(POLL).forEach(whilePaused::add);
            assertThat(whilePaused).as("%s: records while partition 0 is paused", broker)
                    .allSatisfy(r -> assertThat(r.partition()).isEqualTo(1)).hasSize(20);
            assertThat(consumer.paused()).containsExactly(p0);

            consumer.resume(List.of(p0));
            List<ConsumerRecord<String, String>> afterResume = new ArrayList<>();
            awaitPolling(List.of(consumer), afterResume, () -> afterResume.size() >= 20, "partition 0's records");
            assertThat(offsets(afterResume)).as("%s: partition 0 after resume", broker).containsExactlyElementsOf(range(0, 20));
            assertThat(afterResume).allSatisfy(r -> assertThat(r.partition()).isZero());
            assertThat(consumer.paused()).isEmpty();
        }
    }

    private Consumer<String, String> consumer(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.direct().bootstrapServers());
        settings.put("enable.auto.commit", "false");
        settings.putAll(extra);
        return new TidelogConsumer<>(settings, Deserializers.string(), Deserializers.string());
    }

    /** Writes {@code count} records {@code prefix + i} to one partition with Kafka's producer, acknowledged. */
    private void produce(String topic, int partition, String prefix, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaSide.producer(broker.direct().bootstrapServers(), Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, (prefix + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Polls until {@code expected} records arrived or the deadline passed; records by partition. */
    private static Map<Integer, List<ConsumerRecord<String, String>>> pollUntil(Consumer<String, String> consumer, int expected) {
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        awaitPolling(List.of(consumer), read, () -> read.size() >= expected, expected + " records");
        consumer.poll(POLL).forEach(read::add);
        Map<Integer, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
        for (ConsumerRecord<String, String> record : read) {
            byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
        }
        return byPartition;
    }

    /**
     * Polls every consumer in turn (one thread, as a group's members may be driven) until
     * {@code done} holds; fails naming {@code what} if the deadline passes first.
     */
    private static void awaitPolling(List<Consumer<String, String>> consumers, List<ConsumerRecord<String, String>> read,
            BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + DEADLINE.toSeconds() + " s for " + what + "; read " + read.size());
            }
            for (Consumer<String, String> consumer : consumers) {
                consumer.poll(POLL).forEach(read::add);
            }
        }
    }

    private static void pollBoth(Consumer<String, String> first, Consumer<String, String> second,
            List<ConsumerRecord<String, String>> read) {
        first.poll(POLL).forEach(read::add);
        second.poll(POLL).forEach(read::add);
    }

    private static List<Long> offsets(List<ConsumerRecord<String, String>> records) {
        return records == null ? List.of() : records.stream().map(ConsumerRecord::offset).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> offsets = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            offsets.add(offset);
        }
        return offsets;
    }

    static String newName(String what) {
        return "consumer-" + what + "-" + NAMES.incrementAndGet();
    }
}

package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.client.common.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups of our consumers: partitions shared, moved on close and on a stalled member. */
class GroupMembershipTest {

    @TempDir
    static Path dataDir;
    static TestCluster cluster;
    static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = TestCluster.start(dataDir);
        System.out.println("GroupMembershipTest seed " + SEED + " (-Dtidelog.seed=" + SEED + ")");
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    static Map<String, Object> groupSettings(String group, Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.GROUP_ID, group);
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS, 200);
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS, 6000);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT, false);
        settings.putAll(extra);
        return settings;
    }

    private static GroupWorker worker(String name, String group, String topic, Map<String, Object> extra) {
        return new GroupWorker(name, cluster.consumer(groupSettings(group, extra)), List.of(topic));
    }

    /** Waits until the workers' owned partitions are disjoint and cover all {@code partitions}. */
    static void awaitSplit(String topic, int partitions, List<GroupWorker> workers) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (GroupWorker w : workers) {
                assertThat(w.failure.get()).as("worker " + w.name + " failed").isNull();
            }
            Set<TopicPartition> union = new HashSet<>();
            int total = 0;
            for (GroupWorker w : workers) {
                assertThat(w.owned.get()).as("worker " + w.name).isNotEmpty();
                union.addAll(w.owned.get());
                total += w.owned.get().size();
            }
            assertThat(total).isEqualTo(partitions);
            Set<TopicPartition> all = new HashSet<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            assertThat(union).isEqualTo(all);
        });
    }

    /** Writes {@code perPartition} records "p-i" to every partition, in random partition order. */
    static Map<Integer, List<String>> produce(TestCluster cluster, String topic, int partitions, int perPartition,
                                              String prefix) {
        Random random = new Random(SEED);
        Map<Integer, List<String>> written = new HashMap<>();
        try (KafkaProducer<String, String> producer = cluster.kafkaProducer(Map.of())) {
            int[] next = new int[partitions];
            int remaining = partitions * perPartition;
            while (remaining > 0) {
                int p = random.nextInt(partitions);
                if (next[p] == perPartition) {
                    continue;
                }
                String value = prefix + p + "-" + next[p]++;
                written.computeIfAbsent(p, k -> new ArrayList<>()).add(value);
                producer.send(new ProducerRecord<>(topic, p, null, value));
                remaining--;
            }
        }
        return written;
    }

    /** Every written value read exactly once at its own offset; each worker saw each partition in order. */
    static void assertReadExactlyOnceInOrder(Map<Integer, List<String>> written, List<GroupWorker> workers) {
        Map<Integer, java.util.TreeMap<Long, String>> read = new HashMap<>();
        for (GroupWorker w : workers) {
            Map<Integer, Long> last = new HashMap<>();
            for (ConsumerRecord<String, String> r : w.records) {
                Long previous = last.put(r.partition(), r.offset());
                assertThat(previous == null || previous < r.offset())
                        .as(w.name + " read partition " + r.partition() + " out of order at " + r.offset()).isTrue();
                String duplicate = read.computeIfAbsent(r.partition(), k -> new java.util.TreeMap<>())
                        .put(r.offset(), r.value());
                assertThat(duplicate).as("offset " + r.offset() + " of partition " + r.partition()
                        + " read twice (seed " + SEED + ")").isNull();
            }
        }
        for (Map.Entry<Integer, List<String>> entry : written.entrySet()) {
            assertThat(new ArrayList<>(read.get(entry.getKey()).values()))
                    .as("partition " + entry.getKey() + " (seed " + SEED + ")")
                    .containsExactlyElementsOf(entry.getValue());
        }
    }

    static int totalRead(List<GroupWorker> workers) {
        return workers.stream().mapToInt(w -> w.records.size()).sum();
    }

    @Test
    void givenThreeConsumersOnSixPartitionsWhenRecordsArriveThenEachPartitionHasOneOwnerAndEveryRecordIsReadOnce()
            throws Exception {
        String topic = "group-three";
        cluster.createTopic(topic, 6);
        List<GroupWorker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                workers.add(worker("c" + i, "g-three", topic, Map.of()));
            }
            awaitSplit(topic, 6, workers);
            for (GroupWorker w : workers) {
                assertThat(w.owned.get()).hasSize(2);
                assertThat(w.events).extracting(GroupWorker.Event::kind).contains("assigned");
            }
            Map<Integer, List<String>> written = produce(cluster, topic, 6, 50, "a");
            await().atMost(Duration.ofSeconds(60)).until(() -> totalRead(workers) >= 300);
            assertReadExactlyOnceInOrder(written, workers);
            for (GroupWorker w : workers) {
                for (ConsumerRecord<String, String> r : w.records) {
                    assertThat(w.owned.get()).contains(r.topicPartition());
                }
            }
        } finally {
            for (GroupWorker w : workers) {
                w.close();
            }
        }
    }

    @Test
    void givenAMemberThatClosesWhenTheGroupRebalancesThenTheOthersTakeItsPartitionsAndSeeRevokeThenAssign()
            throws Exception {
        String topic = "group-close";
        cluster.createTopic(topic, 6);
        List<GroupWorker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                workers.add(worker("c" + i, "g-close", topic, Map.of()));
            }
            awaitSplit(topic, 6, workers);
            Map<Integer, List<String>> first = produce(cluster, topic, 6, 20, "a");
            await().atMost(Duration.ofSeconds(60)).until(() -> totalRead(workers) >= 120);

            GroupWorker leaving = workers.remove(2);
            leaving.close();
            assertThat(leaving.events.get(leaving.events.size() - 1).kind()).isEqualTo("revoked");
            awaitSplit(topic, 6, workers);
            for (GroupWorker w : workers) {
                List<String> kinds = w.events.stream().map(GroupWorker.Event::kind).toList();
                assertThat(kinds.subList(kinds.size() - 2, kinds.size())).containsExactly("revoked", "assigned");
                assertThat(w.owned.get()).hasSize(3);
            }
            List<GroupWorker> everyone = new ArrayList<>(workers);
            everyone.add(leaving);
            Map<Integer, List<String>> second = produce(cluster, topic, 6, 20, "b");
            await().atMost(Duration.ofSeconds(60)).until(() -> totalRead(everyone) >= 240);
            Map<Integer, List<String>> all = new HashMap<>();
            first.forEach((p, values) -> all.computeIfAbsent(p, k -> new ArrayList<>()).addAll(values));
            second.forEach((p, values) -> all.computeIfAbsent(p, k -> new ArrayList<>()).addAll(values));
            assertReadExactlyOnceInOrder(all, everyone);
        } finally {
            for (GroupWorker w : workers) {
                w.close();
            }
        }
    }

    @Test
    void givenAMemberThatStopsPollingPastMaxPollIntervalThenOthersTakeItsPartitionsAndItsLateCommitFails()
            throws Exception {
        String topic = "group-stall";
        cluster.createTopic(topic, 4);
        List<GroupWorker> workers = new ArrayList<>();
        try {
            GroupWorker slow = worker("slow", "g-stall", topic, Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS, 2000));
            GroupWorker fast = worker("fast", "g-stall", topic, Map.of());
            workers.add(slow);
            workers.add(fast);
            awaitSplit(topic, 4, workers);

            CountDownLatch release = slow.stall(true);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(fast.owned.get()).hasSize(4));
            release.countDown();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(slow.commitFailures).hasSize(1));
            assertThat(slow.commitFailures.peek()).isInstanceOf(CommitFailedException.class)
                    .hasMessageContaining("max.poll.interval.ms");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(slow.events).extracting(GroupWorker.Event::kind).contains("lost"));
            awaitSplit(topic, 4, workers);
        } finally {
            for (GroupWorker w : workers) {
                w.close();
            }
        }
    }

    @Test
    void givenASubscribedTopicThatGainsPartitionsWhenMetadataRefreshesThenTheGroupRebalancesOntoThem()
            throws Exception {
        String topic = "group-grow";
        cluster.createTopic(topic, 2);
        List<GroupWorker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                workers.add(worker("c" + i, "g-grow", topic, Map.of(ConsumerConfig.METADATA_MAX_AGE_MS, 300)));
            }
            awaitSplit(topic, 2, workers);
            cluster.admin().createPartitions(Map.of(topic, org.apache.kafka.clients.admin.NewPartitions.increaseTo(4)))
                    .all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            awaitSplit(topic, 4, workers);
            for (GroupWorker w : workers) {
                assertThat(w.owned.get()).hasSize(2);
            }
        } finally {
            for (GroupWorker w : workers) {
                w.close();
            }
        }
    }

    @Test
    void givenAMemberBusyBetweenPollsLongerThanItsSessionTimeoutThenBackgroundHeartbeatsKeepItsPartitions()
            throws Exception {
        String topic = "group-busy";
        cluster.createTopic(topic, 2);
        List<GroupWorker> workers = new ArrayList<>();
        Map<String, Object> shortSession = Map.of(ConsumerConfig.SESSION_TIMEOUT_MS, 1000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS, 200);
        try {
            GroupWorker busy = worker("busy", "g-busy", topic, shortSession);
            GroupWorker other = worker("other", "g-busy", topic, shortSession);
            workers.add(busy);
            workers.add(other);
            awaitSplit(topic, 2, workers);
            int busyEvents = busy.events.size();
            int otherEvents = other.events.size();

            CountDownLatch release = busy.stall(true);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    other.events.size() == otherEvents);
            release.countDown();

            produce(cluster, topic, 2, 5, "busy");
            await().atMost(Duration.ofSeconds(30)).until(() -> busy.records.size() + other.records.size() >= 10);
            assertThat(busy.commitFailures).as("the commit made right after the busy spell").isEmpty();
            assertThat(busy.records).hasSize(5);
            assertThat(busy.events).hasSize(busyEvents);
        } finally {
            for (GroupWorker w : workers) {
                w.close();
            }
        }
    }
}

package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.client.common.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One group, two client implementations: our consumer and Kafka's split the partitions. */
class MixedGroupTest {

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

    /** KafkaConsumer polling on its own thread, recording its assignment and records. */
    static final class KafkaWorker implements AutoCloseable {
        final AtomicReference<Set<TopicPartition>> owned = new AtomicReference<>(Set.of());
        final ConcurrentLinkedQueue<String> values = new ConcurrentLinkedQueue<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final KafkaConsumer<String, String> consumer;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile boolean running = true;

        KafkaWorker(String group, String topic, String assignorClass) {
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", cluster.bootstrap());
            props.put("group.id", group);
            props.put("key.deserializer", StringDeserializer.class.getName());
            props.put("value.deserializer", StringDeserializer.class.getName());
            props.put("auto.offset.reset", "earliest");
            props.put("partition.assignment.strategy", assignorClass);
            props.put("heartbeat.interval.ms", "200");
            props.put("session.timeout.ms", "6000");
            consumer = new KafkaConsumer<>(props);
            Thread thread = new Thread(() -> {
                try {
                    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> p) {
                            owned.set(Set.of());
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> p) {
                            Set<TopicPartition> ours = new HashSet<>();
                            p.forEach(tp -> ours.add(new TopicPartition(tp.topic(), tp.partition())));
                            owned.set(Set.copyOf(ours));
                        }
                    });
                    while (running) {
                        try {
                            consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
                        } catch (WakeupException e) {
                            // stopping
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    consumer.close(Duration.ofSeconds(10));
                    stopped.countDown();
                }
            }, "kafka-worker");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({"range,org.apache.kafka.clients.consumer.RangeAssignor",
                "roundrobin,org.apache.kafka.clients.consumer.RoundRobinAssignor"})
    void givenOurConsumerAndKafkasInOneGroupWhenRecordsArriveThenThePartitionsAreSplitAndEachRecordIsReadOnce(
            String ourAssignor, String kafkaAssignor) throws Exception {
        String topic = "mixed-" + ourAssignor;
        String group = "g-mixed-" + ourAssignor;
        cluster.createTopic(topic, 4);
        Map<String, Object> settings = GroupMembershipTest.groupSettings(group,
                Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY, ourAssignor));
        GroupWorker ours = new GroupWorker("ours", cluster.consumer(settings), List.of(topic));
        KafkaWorker theirs = new KafkaWorker(group, topic, kafkaAssignor);
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(ours.failure.get()).isNull();
                assertThat(theirs.failure.get()).isNull();
                Set<TopicPartition> union = new HashSet<>(ours.owned.get());
                union.addAll(theirs.owned.get());
                assertThat(ours.owned.get()).hasSize(2);
                assertThat(theirs.owned.get()).hasSize(2);
                assertThat(union).hasSize(4);
            });
            Map<Integer, List<String>> written = GroupMembershipTest.produce(cluster, topic, 4, 25, "m");
            await().atMost(Duration.ofSeconds(60)).until(() -> ours.records.size() + theirs.values.size() >= 100);
            List<String> all = new ArrayList<>(theirs.values);
            ours.records.forEach(r -> all.add(r.value()));
            List<String> expected = new ArrayList<>();
            written.values().forEach(expected::addAll);
            assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
            for (ConsumerRecord<String, String> r : ours.records) {
                assertThat(ours.owned.get()).contains(r.topicPartition());
            }
        } finally {
            ours.close();
            theirs.close();
        }
    }
}

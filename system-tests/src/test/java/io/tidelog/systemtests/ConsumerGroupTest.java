package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Kafka's consumer in subscribe mode: groups split partitions, and committed offsets outlive the broker process. */
class ConsumerGroupTest {

    @TempDir
    Path dataDir;

    private BrokerProcess broker;

    @AfterEach
    void killBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twoMembersOfAGroupSplitThePartitionsAndTogetherReadEveryRecordOnce() throws Exception {
        broker = BrokerProcess.start("ConsumerGroupTest-split", dataDir, "group.initial.rebalance.delay.ms=0");
        Clients.createTopic(broker, "grouped", 4);

        try (KafkaConsumer<byte[], byte[]> first = groupConsumer("split-group");
             KafkaConsumer<byte[], byte[]> second = groupConsumer("split-group")) {
            first.subscribe(List.of("grouped"));
            second.subscribe(List.of("grouped"));
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Clients.DEADLINE.toNanos();
            while ((first.assignment().size() != 2 || second.assignment().size() != 2) && System.nanoTime() < deadline) {
                first.poll(Duration.ofMillis(100)).forEach(read::add);
                second.poll(Duration.ofMillis(100)).forEach(read::add);
            }
            assertThat(first.assignment()).as("first member's partitions").hasSize(2);
            assertThat(second.assignment()).as("second member's partitions").hasSize(2)
                    .doesNotContainAnyElementsOf(first.assignment());
            Set<TopicPartition> firstPartitions = Set.copyOf(first.assignment());

            Set<String> produced = produce("grouped", 400);
            while (read.size() < produced.size() && System.nanoTime() < deadline) {
                first.poll(Duration.ofMillis(100)).forEach(read::add);
                second.poll(Duration.ofMillis(100)).forEach(read::add);
            }

            assertThat(first.assignment()).as("no rebalance while reading").isEqualTo(firstPartitions);
            List<String> values = new ArrayList<>();
            read.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            assertThat(values).hasSize(produced.size()).containsExactlyInAnyOrderElementsOf(produced);
        }
        broker.stop();
    }

    /** How the broker goes down between the commit and the restart. */
    enum Stop {
        SIGTERM, KILL_9
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aCommittedOffsetSurvivesABrokerRestartAndTheGroupResumesFromIt(Stop stop) throws Exception {
        broker = BrokerProcess.start("ConsumerGroupTest-commit-" + stop, dataDir, "group.initial.rebalance.delay.ms=0");
        Clients.createTopic(broker, "committed", 1);
        produce("committed", 100);
        TopicPartition tp = new TopicPartition("committed", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = groupConsumer("commit-group")) {
            consumer.subscribe(List.of("committed"));
            Clients.pollUntil(consumer, () -> consumer.assignment().contains(tp));
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(60, "after sixty")));
        }

        if (stop == Stop.KILL_9) {
            broker.kill9(); // an acknowledged commit is in the log, not only in memory
        } else {
            broker.stop();
        }
        broker.restart();

        try (Admin admin = Clients.admin(broker)) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("commit-group")
                    .partitionsToOffsetAndMetadata().get().get(tp);
            assertThat(committed.offset()).isEqualTo(60);
            assertThat(committed.metadata()).isEqualTo("after sixty");
        }
        try (KafkaConsumer<byte[], byte[]> consumer = groupConsumer("commit-group")) {
            consumer.subscribe(List.of("committed"));
            List<ConsumerRecord<byte[], byte[]>> records = Clients.pollAtLeast(consumer, 40);
            assertThat(records).extracting(ConsumerRecord::offset).first().isEqualTo(60L);
            assertThat(records).hasSize(40);
        }
        broker.stop();
    }

    private Set<String> produce(String topic, int count) throws Exception {
        Set<String> values = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            for (int i = 0; i < count; i++) {
                String value = topic + "-" + i;
                values.add(value);
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        return values;
    }

    private KafkaConsumer<byte[], byte[]> groupConsumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}

package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acknowledged records survive the broker process stopping: gracefully (SIGTERM) or not (SIGKILL). */
class RestartTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());
    private static final int PARTITIONS = 2;
    /** Makes kill -9 records span several 64 KiB segments. */
    private static final String PADDING = "x".repeat(200);

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
    void afterACleanRestartEveryRecordIsReadAtItsOffsetAndNewAppendsContinueTheLog() throws Exception {
        broker = BrokerProcess.start("RestartTest-clean", dataDir, "log.segment.bytes=65536");
        Clients.createTopic(broker, "restart-clean", PARTITIONS);
        List<ProduceConsumeTest.Sent> before;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            before = ProduceConsumeTest.sendMixedRecords(producer, "restart-clean", 600, new Random(SEED));
        }

        broker.stop();
        broker.restart();

        List<ProduceConsumeTest.Sent> after;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            after = ProduceConsumeTest.sendMixedRecords(producer, "restart-clean", 100, new Random(SEED + 1));
        }
        List<ProduceConsumeTest.Sent> all = new ArrayList<>(before);
        all.addAll(after);
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> read = readEverything("restart-clean");
        for (int p = 0; p < PARTITIONS; p++) {
            ProduceConsumeTest.assertPartitionMatches(p, ProduceConsumeTest.sentTo(all, p),
                    read.getOrDefault(p, List.of()), "none (seed " + SEED + ")");
        }
        broker.stop();
    }

    @Test
    void afterKill9EveryAcknowledgedRecordIsReadAtItsAcknowledgedOffset() throws Exception {
        broker = BrokerProcess.start("RestartTest-kill9", dataDir, "log.segment.bytes=65536");
        Clients.createTopic(broker, "restart-kill9", PARTITIONS);
        Map<TopicPartition, Map<Long, String>> acknowledged = new ConcurrentHashMap<>();
        CountDownLatch enoughAcknowledged = new CountDownLatch(500);

        KafkaProducer<byte[], byte[]> producer = Clients.producer(broker,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000));
        AtomicBoolean killed = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            for (int i = 0; !killed.get(); i++) {
                String value = "value-" + i + "-" + PADDING;
                try {
                    producer.send(new ProducerRecord<>("restart-kill9", i % PARTITIONS, null,
                            value.getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
                                if (error == null) {
                                    acknowledged.computeIfAbsent(new TopicPartition(metadata.topic(),
                                            metadata.partition()), tp -> new ConcurrentHashMap<>())
                                            .put(metadata.offset(), value);
                                    enoughAcknowledged.countDown();
                                }
                            });
                } catch (KafkaException e) {
                    return; // the broker is gone; sends no longer queue
                }
            }
        }, "kill9-sender");
        try {
            sender.start();
            // Kill while sends are still being produced, queued and in flight.
            assertThat(enoughAcknowledged.await(60, TimeUnit.SECONDS)).as("500 records acknowledged").isTrue();
            broker.kill9();
            killed.set(true);
            sender.join(30_000);
        } finally {
            killed.set(true);
            producer.close(java.time.Duration.ofSeconds(10));
        }
        Map<TopicPartition, Map<Long, String>> acked = snapshot(acknowledged);
        assertThat(acked.values().stream().mapToInt(Map::size).sum()).isGreaterThanOrEqualTo(500);

        broker.restart();

        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> read = readEverything("restart-kill9");
        for (int p = 0; p < PARTITIONS; p++) {
            Map<Long, String> readAt = new HashMap<>();
            long previous = -1;
            for (ConsumerRecord<byte[], byte[]> record : read.getOrDefault(p, List.of())) {
                assertThat(record.offset()).as("partition %d offsets strictly increase (seed %d)", p, SEED)
                        .isGreaterThan(previous);
                previous = record.offset();
                readAt.put(record.offset(), new String(record.value(), StandardCharsets.UTF_8));
            }
            Map<Long, String> ackedHere = acked.getOrDefault(new TopicPartition("restart-kill9", p), Map.of());
            assertThat(readAt).as("partition %d after kill -9: every acknowledged record at its offset", p)
                    .containsAllEntriesOf(ackedHere);
            assertThat(new java.util.HashSet<>(readAt.values())).as("partition %d: no value twice", p)
                    .hasSize(readAt.size());
        }
        broker.stop();
    }

    private static Map<TopicPartition, Map<Long, String>> snapshot(Map<TopicPartition, Map<Long, String>> live) {
        Map<TopicPartition, Map<Long, String>> copy = new HashMap<>();
        live.forEach((tp, offsets) -> copy.put(tp, Map.copyOf(offsets)));
        return copy;
    }

    /** Reads every partition from its log start offset to its current end. */
    private Map<Integer, List<ConsumerRecord<byte[], byte[]>>> readEverything(String topic) throws Exception {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (Admin admin = Clients.admin(broker)) {
            for (TopicPartition tp : tps) {
                ends.put(tp, admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset());
            }
        }
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            for (ConsumerRecord<byte[], byte[]> record : Clients.pollUntil(consumer,
                    () -> tps.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp)))) {
                byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
            }
            for (TopicPartition tp : tps) {
                assertThat(consumer.position(tp)).as("%s read to its end offset", tp).isEqualTo(ends.get(tp));
            }
        }
        return byPartition;
    }
}

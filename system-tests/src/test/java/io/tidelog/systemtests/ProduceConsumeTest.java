package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Apache Kafka's default producer and an assign/seek consumer against one Tidelog broker process.
 * Each test uses its own topic, so they share the broker.
 */
class ProduceConsumeTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @TempDir
    static Path dataDir;

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("ProduceConsumeTest", dataDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            try {
                broker.stop();
            } finally {
                broker.close();
            }
        }
    }

    /** One acknowledged send: what was sent and where the broker said it went. */
    record Sent(byte[] key, byte[] value, Header[] headers, int partition, long offset) {
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void whatTheDefaultProducerHadAcknowledgedIsReadBackExactlyInOrderAtItsOffsets(String codec) throws Exception {
        String topic = "codec-" + codec;
        Clients.createTopic(broker, topic, 3);
        Random random = new Random(SEED);

        List<Sent> sent;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker,
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, 5))) {
            sent = sendMixedRecords(producer, topic, 300, random);
        }

        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> read = readAll(topic, 3, sent.size());
        for (int partition = 0; partition < 3; partition++) {
            assertPartitionMatches(partition, sentTo(sent, partition), read.getOrDefault(partition, List.of()), codec);
        }
    }

    @Test
    void seekStartsReadingAtExactlyTheRequestedOffset() throws Exception {
        String topic = "seek-to-offset";
        Clients.createTopic(broker, topic, 1);
        List<Sent> sent;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            sent = sendMixedRecords(producer, topic, 50, new Random(SEED));
        }
        TopicPartition tp = new TopicPartition(topic, 0);

        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 20);
            List<ConsumerRecord<byte[], byte[]>> records = Clients.pollAtLeast(consumer, 30);

            assertPartitionMatches(0, sent.subList(20, 50), records, "none");
            assertThat(consumer.position(tp)).isEqualTo(50);
        }
    }

    @Test
    void seekToEndSkipsExistingRecordsAndThenReadsOnlyNewOnes() throws Exception {
        String topic = "seek-to-end";
        Clients.createTopic(broker, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker);
             KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            sendMixedRecords(producer, topic, 10, new Random(SEED));
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(10);

            List<Sent> later = sendMixedRecords(producer, topic, 5, new Random(SEED + 1));
            List<ConsumerRecord<byte[], byte[]>> records = Clients.pollAtLeast(consumer, 5);

            assertPartitionMatches(0, later, records, "none");
            assertThat(later).extracting(Sent::offset).containsExactly(10L, 11L, 12L, 13L, 14L);
        }
    }

    @Test
    void seekToBeginningRereadsFromTheFirstOffsetAfterReadingToTheEnd() throws Exception {
        String topic = "seek-to-beginning";
        Clients.createTopic(broker, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        List<Sent> sent;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            sent = sendMixedRecords(producer, topic, 25, new Random(SEED));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(25);

            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> records = Clients.pollAtLeast(consumer, 25);

            assertPartitionMatches(0, sent, records, "none");
        }
    }

    @Test
    void producingToATopicThatDoesNotExistCreatesItWithTheDefaultPartitionCount() throws Exception {
        List<Sent> sent;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            sent = sendMixedRecords(producer, "auto-created", 10, new Random(SEED));
        }

        assertThat(sent).extracting(Sent::partition).containsOnly(0);
        assertThat(sent).extracting(Sent::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            TopicPartition tp = new TopicPartition("auto-created", 0);
            consumer.assign(List.of(tp));
            assertPartitionMatches(0, sent, Clients.pollAtLeast(consumer, 10), "none");
        }
    }

    /** Sends {@code count} records: keyed and null-keyed, some with headers, sizes from empty to a few KiB. */
    static List<Sent> sendMixedRecords(KafkaProducer<byte[], byte[]> producer, String topic, int count, Random random)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = i % 3 == 0 ? null : ("key-" + random.nextInt(20)).getBytes(StandardCharsets.UTF_8);
            byte[] value = new byte[i % 10 == 0 ? 0 : random.nextInt(i % 7 == 0 ? 4000 : 200)];
            random.nextBytes(value);
            List<Header> headers = new ArrayList<>();
            if (i % 4 == 1) {
                headers.add(new RecordHeader("h-" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)));
                headers.add(new RecordHeader("null-valued", null));
            }
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, key, value, headers);
            records.add(record);
            futures.add(producer.send(record));
        }
        producer.flush();
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordMetadata metadata = futures.get(i).get();
            ProducerRecord<byte[], byte[]> record = records.get(i);
            sent.add(new Sent(record.key(), record.value(), record.headers().toArray(), metadata.partition(),
                    metadata.offset()));
        }
        return sent;
    }

    /** The sends to {@code partition} in send order (which must also be offset order). */
    static List<Sent> sentTo(List<Sent> sent, int partition) {
        return sent.stream().filter(s -> s.partition() == partition).toList();
    }

    /** Reads every partition of {@code topic} from the beginning until {@code total} records arrived. */
    private static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> readAll(String topic, int partitions, int total) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            for (ConsumerRecord<byte[], byte[]> record : Clients.pollAtLeast(consumer, total)) {
                byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
            }
        }
        return byPartition;
    }

    /** The partition holds exactly the acknowledged records, in send order, at the acknowledged offsets. */
    static void assertPartitionMatches(int partition, List<Sent> expected, List<ConsumerRecord<byte[], byte[]>> actual,
            String codec) {
        String context = "partition " + partition + ", compression " + codec + ", seed " + SEED;
        assertThat(actual).as(context + ": record count").hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Sent want = expected.get(i);
            ConsumerRecord<byte[], byte[]> got = actual.get(i);
            String at = context + ", record " + i;
            assertThat(got.offset()).as(at + ": offset").isEqualTo(want.offset());
            assertThat(got.key()).as(at + ": key").isEqualTo(want.key());
            assertThat(got.value()).as(at + ": value").isEqualTo(want.value());
            assertThat(got.headers().toArray()).as(at + ": headers").containsExactly(want.headers());
        }
    }
}

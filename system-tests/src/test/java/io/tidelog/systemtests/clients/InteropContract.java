package io.tidelog.systemtests.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tidelog.client.consumer.Consumer;
import io.tidelog.client.consumer.Deserializers;
import io.tidelog.client.consumer.TidelogConsumer;
import io.tidelog.client.producer.Producer;
import io.tidelog.client.producer.ProducerRecord;
import io.tidelog.client.producer.RecordMetadata;
import io.tidelog.client.producer.Serializers;
import io.tidelog.client.producer.TidelogProducer;
import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.Header;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our clients and Apache Kafka's clients share a broker: what one writes, the other reads exactly
 * (keys, values, headers, timestamps; null keys and null values; every codec), and the same key
 * lands in the same partition whichever producer sends it. Seeded: {@code -Dtidelog.seed=N}
 * replays a run. Subclasses pick the broker with {@link Against}.
 */
abstract class InteropContract {

    static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private BrokerTarget broker;

    @BeforeEach
    void connect(BrokerTarget target) {
        this.broker = target;
    }

    /** A record as both sides see it: bytes compared by content. */
    record Sample(byte[] key, byte[] value, List<Header> headers, long timestamp) {

        boolean sameAs(ConsumerRecord<byte[], byte[]> read) {
            List<Header> readHeaders = new ArrayList<>();
            read.headers().forEach(h -> readHeaders.add(new Header(h.key(), h.value())));
            return Arrays.equals(key, read.key()) && Arrays.equals(value, read.value())
                    && headers.equals(readHeaders) && timestamp == read.timestamp();
        }

        @Override
        public String toString() {
            return "Sample(key=" + text(key) + ", value=" + (value == null ? "null" : value.length + " bytes")
                    + ", headers=" + headers + ", timestamp=" + timestamp + ")";
        }
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void givenACodec_whenOurProducerSendsRecordsWithHeadersNullKeysAndNullValues_thenKafkaConsumerReadsThemExactly(
            String codec) throws Exception {
        Endpoint endpoint = broker.direct();
        String topic = newTopic("ours-to-kafka-" + codec);
        endpoint.createTopic(topic, 1);
        List<Sample> samples = samples(new Random(SEED ^ codec.hashCode()), 120);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<byte[], byte[]> producer = new TidelogProducer<>(Map.of("bootstrap.servers",
                endpoint.bootstrapServers(), "compression.type", codec, "linger.ms", 50, "batch.size", 65536),
                Serializers.byteArray(), Serializers.byteArray())) {
            for (Sample sample : samples) {
                futures.add(producer.send(new ProducerRecord<>(topic, null, sample.timestamp(), sample.key(),
                        sample.value(), sample.headers())));
            }
            producer.flush();
        }
        for (CompletableFuture<RecordMetadata> future : futures) {
            future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        List<ConsumerRecord<byte[], byte[]>> read = KafkaSide.readAll(endpoint.bootstrapServers(), topic, 1, samples.size());
        assertReadExactly(samples, read, codec);
        int codecId = CompressionType.forName(codec).orElseThrow().codec();
        assertThat(StoredBatches.codecs(endpoint.bootstrapServers(), topic, 0))
                .as("%s: codec of each batch the broker stored for compression.type=%s", broker, codec)
                .isNotEmpty().containsOnly(codecId);
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void givenACodec_whenKafkaProducerSendsRecordsWithHeadersNullKeysAndNullValues_thenOurConsumerReadsThemExactly(
            String codec) throws Exception {
        Endpoint endpoint = broker.direct();
        String topic = newTopic("kafka-to-ours-" + codec);
        endpoint.createTopic(topic, 1);
        List<Sample> samples = samples(new Random(SEED ^ ~codec.hashCode()), 120);
        try (KafkaProducer<byte[], byte[]> producer = KafkaSide.producer(endpoint.bootstrapServers(),
                Map.of("compression.type", codec, "linger.ms", 50, "batch.size", 65536))) {
            List<Future<org.apache.kafka.clients.producer.RecordMetadata>> futures = new ArrayList<>();
            for (Sample sample : samples) {
                List<org.apache.kafka.common.header.Header> headers = new ArrayList<>();
                for (Header header : sample.headers()) {
                    headers.add(new RecordHeader(header.key(), header.value()));
                }
                futures.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, null,
                        sample.timestamp(), sample.key(), sample.value(), headers)));
            }
            producer.flush();
            for (Future<org.apache.kafka.clients.producer.RecordMetadata> future : futures) {
                future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        int codecId = CompressionType.forName(codec).orElseThrow().codec();
        assertThat(StoredBatches.codecs(endpoint.bootstrapServers(), topic, 0)).as("Kafka's producer sent %s batches", codec)
                .isNotEmpty().containsOnly(codecId);
        List<io.tidelog.client.consumer.ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        io.tidelog.client.common.TopicPartition partition = new io.tidelog.client.common.TopicPartition(topic, 0);
        try (Consumer<byte[], byte[]> consumer = new TidelogConsumer<>(Map.of("bootstrap.servers",
                endpoint.bootstrapServers(), "enable.auto.commit", "false", "auto.offset.reset", "earliest"),
                Deserializers.byteArray(), Deserializers.byteArray())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (read.size() < samples.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        assertThat(read).as("%s, %s: records our consumer read (seed %d)", broker, codec, SEED).hasSize(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample sent = samples.get(i);
            io.tidelog.client.consumer.ConsumerRecord<byte[], byte[]> got = read.get(i);
            assertThat(got.offset()).as("offset of record %d", i).isEqualTo(i);
            boolean same = Arrays.equals(sent.key(), got.key()) && Arrays.equals(sent.value(), got.value())
                    && sent.headers().equals(got.headers()) && sent.timestamp() == got.timestamp();
            assertThat(same).as("%s, %s: record %d (seed %d): sent %s, read key=%s value=%s headers=%s timestamp=%d",
                    broker, codec, i, SEED, sent, text(got.key()), got.value() == null ? "null" : got.value().length + " bytes",
                    got.headers(), got.timestamp()).isTrue();
        }
    }

    @Test
    void givenManySeededKeys_whenOurProducerAndKafkaProducerSendThem_thenEachKeyLandsInTheSamePartition()
            throws Exception {
        Endpoint endpoint = broker.direct();
        String topic = newTopic("key-placement");
        int partitions = 7;
        endpoint.createTopic(topic, partitions);
        Random random = new Random(SEED);
        // 500 distinct keys: short random keys collide now and then (one-byte keys about once in
        // nine seeds), and a repeated key would count as one key read back.
        List<byte[]> keys = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        while (keys.size() < 500) {
            byte[] key = new byte[1 + random.nextInt(64)];
            random.nextBytes(key);
            if (distinct.add(text(key))) {
                keys.add(key);
            }
        }
        List<CompletableFuture<RecordMetadata>> ours = new ArrayList<>();
        try (Producer<byte[], byte[]> producer = new TidelogProducer<>(Map.of("bootstrap.servers",
                endpoint.bootstrapServers()), Serializers.byteArray(), Serializers.byteArray())) {
            for (byte[] key : keys) {
                ours.add(producer.send(new ProducerRecord<>(topic, key, "ours".getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
        }
        List<Future<org.apache.kafka.clients.producer.RecordMetadata>> theirs = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaSide.producer(endpoint.bootstrapServers(), Map.of())) {
            for (byte[] key : keys) {
                theirs.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key,
                        "kafka".getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
        }
        Set<Integer> partitionsUsed = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            int ourPartition = ours.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS).partition();
            int kafkaPartition = theirs.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS).partition();
            assertThat(ourPartition).as("%s: partition of key %s (seed %d)", broker, text(keys.get(i)), SEED)
                    .isEqualTo(kafkaPartition);
            partitionsUsed.add(ourPartition);
        }
        assertThat(partitionsUsed).as("500 random keys spread over all %d partitions", partitions).hasSize(partitions);
        List<ConsumerRecord<byte[], byte[]>> readBack = KafkaSide.readAll(endpoint.bootstrapServers(), topic, partitions,
                2 * keys.size());
        assertThat(readBack).as("%s: records stored (each sent once, by idempotent producers)", broker).hasSize(2 * keys.size());
        Map<String, Set<Integer>> stored = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readBack) {
            stored.computeIfAbsent(text(record.key()), k -> new HashSet<>()).add(record.partition());
        }
        assertThat(stored).as("%s: keys read back (seed %d)", broker, SEED).hasSize(keys.size());
        assertThat(stored.values()).as("%s: every key stored in one partition only (seed %d)", broker, SEED)
                .allSatisfy(where -> assertThat(where).hasSize(1));
    }

    /**
     * Records of every shape: null and empty keys and values, zero to three headers (repeated keys
     * and null header values included), ascending timestamps, and compressible text values.
     */
    static List<Sample> samples(Random random, int count) {
        List<Sample> samples = new ArrayList<>();
        long timestamp = 1_700_000_000_000L + random.nextInt(1_000_000);
        for (int i = 0; i < count; i++) {
            byte[] key = switch (i % 5) {
                case 0 -> null;
                case 1 -> new byte[0];
                default -> ("key-" + random.nextInt(40)).getBytes(StandardCharsets.UTF_8);
            };
            byte[] value = i % 7 == 3 ? null
                    : i % 11 == 5 ? new byte[0]
                    : ("value " + i + " ").repeat(1 + random.nextInt(40)).getBytes(StandardCharsets.UTF_8);
            List<Header> headers = new ArrayList<>();
            for (int h = random.nextInt(4); h > 0; h--) {
                String headerKey = random.nextBoolean() ? "trace" : "h" + random.nextInt(3);
                byte[] headerValue = random.nextInt(4) == 0 ? null : ("hv" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
                headers.add(new Header(headerKey, headerValue));
            }
            timestamp += random.nextInt(5);
            samples.add(new Sample(key, value, List.copyOf(headers), timestamp));
        }
        return samples;
    }

    private void assertReadExactly(List<Sample> samples, List<ConsumerRecord<byte[], byte[]>> read, String codec) {
        assertThat(read).as("%s, %s: records read (seed %d)", broker, codec, SEED).hasSize(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            ConsumerRecord<byte[], byte[]> got = read.get(i);
            assertThat(got.offset()).as("offset of record %d", i).isEqualTo(i);
            assertThat(samples.get(i).sameAs(got)).as("%s, %s: record %d (seed %d): sent %s, read key=%s value=%s "
                    + "headers=%s timestamp=%d", broker, codec, i, SEED, samples.get(i), text(got.key()),
                    got.value() == null ? "null" : got.value().length + " bytes", got.headers(), got.timestamp()).isTrue();
        }
    }

    static String newTopic(String what) {
        return "interop-" + what + "-" + TOPICS.incrementAndGet();
    }

    static String text(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}

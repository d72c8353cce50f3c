package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.protocol.record.Header;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our producer against an in-process Tidelog broker, with Kafka's own KafkaConsumer and
 * KafkaProducer as the judges of what went over the wire.
 */
class ProducerInteropTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @TempDir
    Path dir;
    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(dir, Map.of());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Map<String, Object> settings(Object... keyValues) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", cluster.bootstrap());
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put((String) keyValues[i], keyValues[i + 1]);
        }
        return settings;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void givenACodec_whenKeyedNullKeyAndHeaderRecordsAreSent_thenKafkaConsumerReadsEachBackAtItsAcknowledgedOffset(
            String codec) throws Exception {
        String topic = "codec-" + codec;
        cluster.createTopic(topic, 3, Map.of());
        int count = 300;
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = new TidelogProducer<>(settings("compression.type", codec,
                "batch.size", 4096), Serializers.string(), Serializers.string())) {
            for (int i = 0; i < count; i++) {
                String key = i % 4 == 0 ? null : "key-" + (i % 17);
                List<Header> headers = i % 3 == 0 ? List.of() : List.of(new Header("h" + i, utf8("v" + i)),
                        new Header("null-value", null));
                futures.add(producer.send(new ProducerRecord<>(topic, null, null, key, "value-" + i, headers)));
            }
            producer.flush();
        }
        Map<Integer, List<Integer>> sentByPartition = new HashMap<>();
        for (int i = 0; i < count; i++) {
            RecordMetadata metadata = futures.get(i).get(30, TimeUnit.SECONDS);
            assertThat(metadata.topic()).isEqualTo(topic);
            sentByPartition.computeIfAbsent(metadata.partition(), p -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Integer, List<Integer>> entry : sentByPartition.entrySet()) {
            List<Integer> sent = entry.getValue();
            List<ConsumerRecord<byte[], byte[]>> read = cluster.readAll(topic, entry.getKey(), sent.size());
            assertThat(read).as("records read from partition %d", entry.getKey()).hasSize(sent.size());
            for (int j = 0; j < sent.size(); j++) {
                int i = sent.get(j);
                ConsumerRecord<byte[], byte[]> record = read.get(j);
                RecordMetadata metadata = futures.get(i).get();
                assertThat(record.offset()).as("offset of record %d", i).isEqualTo(metadata.offset());
                assertThat(string(record.value())).isEqualTo("value-" + i);
                assertThat(string(record.key())).isEqualTo(i % 4 == 0 ? null : "key-" + (i % 17));
                assertThat(record.timestamp()).isEqualTo(metadata.timestamp());
                List<String> headers = new ArrayList<>();
                record.headers().forEach(h -> headers.add(h.key() + "=" + string(h.value())));
                assertThat(headers).isEqualTo(i % 3 == 0 ? List.of() : List.of("h" + i + "=v" + i, "null-value=null"));
            }
        }
    }

    @Test
    void givenRandomKeys_whenBothProducersSendThem_thenEachKeyLandsOnTheSamePartitionWithEither() throws Exception {
        String topic = "same-key";
        cluster.createTopic(topic, 7, Map.of());
        Random random = new Random(SEED);
        Properties kafkaProps = new Properties();
        kafkaProps.put("bootstrap.servers", cluster.bootstrap());
        kafkaProps.put("key.serializer", StringSerializer.class.getName());
        kafkaProps.put("value.serializer", StringSerializer.class.getName());
        try (Producer<String, String> ours = new TidelogProducer<>(settings(), Serializers.string(), Serializers.string());
             KafkaProducer<String, String> theirs = new KafkaProducer<>(kafkaProps)) {
            for (int i = 0; i < 50; i++) {
                String key = Long.toHexString(random.nextLong()) + "-" + i;
                int ourPartition = ours.send(new ProducerRecord<>(topic, key, "ours")).get(30, TimeUnit.SECONDS)
                        .partition();
                int theirPartition = theirs.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key,
                        "theirs")).get(30, TimeUnit.SECONDS).partition();
                assertThat(ourPartition).as("partition of key %s (seed %d)", key, SEED).isEqualTo(theirPartition);
            }
        }
    }

    @ParameterizedTest(name = "acks={0}")
    @ValueSource(strings = {"0", "1", "all"})
    void givenAnAcksSetting_whenRecordsAreSent_thenAllArriveInOrderAndOffsetsAreKnownUnlessAcksIsZero(String acks)
            throws Exception {
        String topic = "acks-" + acks;
        cluster.createTopic(topic, 1, Map.of());
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<byte[], byte[]> producer = new TidelogProducer<>(settings("acks", acks),
                Serializers.byteArray(), Serializers.byteArray())) {
            for (int i = 0; i < 100; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, utf8("k" + i), utf8("v" + i))));
            }
            producer.flush();
        }
        for (int i = 0; i < futures.size(); i++) {
            long offset = futures.get(i).get(30, TimeUnit.SECONDS).offset();
            assertThat(offset).isEqualTo(acks.equals("0") ? RecordMetadata.UNKNOWN_OFFSET : i);
        }
        List<ConsumerRecord<byte[], byte[]>> read = cluster.readAll(topic, 0, 100);
        assertThat(read).extracting(r -> string(r.value()))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "v" + i).toList());
    }

    @Test
    void givenARecordLargerThanMaxRequestSize_whenSent_thenTheFutureFailsWithRecordTooLargeNamingTheSetting()
            throws Exception {
        cluster.createTopic("large", 1, Map.of());
        try (Producer<String, byte[]> producer = new TidelogProducer<>(settings("max.request.size", 1000),
                Serializers.string(), Serializers.byteArray())) {
            CompletableFuture<RecordMetadata> future = producer.send(new ProducerRecord<>("large", new byte[2000]));
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RecordTooLargeException.class).hasMessageContaining("max.request.size");
        }
    }

    @Test
    void givenATopicWhoseMessageLimitIsSmall_whenALargerBatchIsSent_thenTheFutureFailsNamingMaxMessageBytes()
            throws Exception {
        cluster.createTopic("small-limit", 1, Map.of("max.message.bytes", "2000"));
        try (Producer<String, byte[]> producer = new TidelogProducer<>(settings(), Serializers.string(),
                Serializers.byteArray())) {
            CompletableFuture<RecordMetadata> future = producer.send(new ProducerRecord<>("small-limit",
                    new byte[5000]));
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RecordTooLargeException.class).hasMessageContaining("max.message.bytes");
            RecordMetadata small = producer.send(new ProducerRecord<>("small-limit", new byte[100]))
                    .get(30, TimeUnit.SECONDS);
            assertThat(small.offset()).isEqualTo(0);
        }
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "lz4"})
    void givenABatchLargerThanTheTopicAllows_whenTheBrokerRefusesIt_thenTheProducerSplitsItAndEveryRecordLandsInOrder(
            String codec) throws Exception {
        String topic = "split-" + codec;
        cluster.createTopic(topic, 1, Map.of("max.message.bytes", "2000"));
        Random random = new Random(SEED);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        try (Producer<String, byte[]> producer = new TidelogProducer<>(settings("linger.ms", 60_000,
                "compression.type", codec, "max.in.flight.requests.per.connection", 1), Serializers.string(), Serializers.byteArray())) {
            for (int i = 0; i < 40; i++) {
                byte[] value = new byte[400];
                random.nextBytes(value);
                values.add(value);
                futures.add(producer.send(new ProducerRecord<>(topic, value)));
            }
            producer.flush();
        }
        for (int i = 0; i < futures.size(); i++) {
            assertThat(futures.get(i).get(30, TimeUnit.SECONDS).offset()).as("offset of record %d (seed %d)", i, SEED)
                    .isEqualTo(i);
        }
        List<ConsumerRecord<byte[], byte[]>> read = cluster.readAll(topic, 0, values.size());
        assertThat(read).hasSize(values.size());
        for (int i = 0; i < values.size(); i++) {
            assertThat(read.get(i).value()).isEqualTo(values.get(i));
        }
    }

    @Test
    void givenAnUnreachableBroker_whenARecordIsSent_thenTheFutureFailsAfterMaxBlockMsNamingBootstrapServers()
            throws Exception {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        Map<String, Object> settings = settings("bootstrap.servers", "127.0.0.1:" + deadPort, "max.block.ms", 500);
        try (Producer<String, String> producer = new TidelogProducer<>(settings, Serializers.string(),
                Serializers.string())) {
            CompletableFuture<RecordMetadata> future = producer.send(new ProducerRecord<>("anything", "v"));
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ProducerTimeoutException.class)
                    .hasMessageContaining("max.block.ms=500")
                    .hasMessageContaining("bootstrap.servers")
                    .hasMessageContaining("127.0.0.1:" + deadPort);
        }
    }

    @Test
    void givenAQueuedRecord_whenTheProducerIsClosed_thenTheRecordIsAcknowledgedBeforeCloseReturns()
            throws Exception {
        cluster.createTopic("close", 1, Map.of());
        CompletableFuture<RecordMetadata> future;
        try (Producer<String, String> producer = new TidelogProducer<>(settings("linger.ms", 60_000),
                Serializers.string(), Serializers.string())) {
            future = producer.send(new ProducerRecord<>("close", "k", "v"));
            producer.close(Duration.ofSeconds(30));
            assertThat(future).isDone();
        }
        assertThat(future.get().offset()).isEqualTo(0);
    }
}

package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.client.producer.ProducerRecord;
import io.tidelog.client.producer.Serializers;
import io.tidelog.client.producer.TidelogProducer;
import io.tidelog.protocol.record.Header;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our producer's records, every codec, read back by KafkaConsumer and by our consumer alike. */
class ProducerInteropTest {

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

    private static String key(int i) {
        return i % 6 == 0 ? null : "k" + i;
    }

    private static String value(int i) {
        return i % 9 == 0 ? null : "value-" + i;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void givenOurProducerWithACodecWhenKafkaConsumerAndOursReadThenBothSeeTheSameRecords(String codec)
            throws Exception {
        String topic = "ours-" + codec;
        cluster.createTopic(topic, 1);
        int count = 200;
        try (TidelogProducer<String, String> producer = new TidelogProducer<>(Map.of("bootstrap.servers",
                cluster.bootstrap(), "compression.type", codec, "batch.size", 2048), Serializers.string(),
                Serializers.string())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, key(i), value(i),
                        List.of(new Header("n", Integer.toString(i).getBytes(StandardCharsets.UTF_8)),
                                new Header("empty", null))));
            }
            producer.flush();
        }

        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> kafkaRead = new ArrayList<>();
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(Map.of("bootstrap.servers",
                cluster.bootstrap(), "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName(), "auto.offset.reset", "earliest"))) {
            kafka.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (kafkaRead.size() < count && System.nanoTime() < deadline) {
                kafka.poll(Duration.ofMillis(200)).forEach(kafkaRead::add);
            }
        }
        List<ConsumerRecord<String, String>> ourRead;
        try (TidelogConsumer<String, String> ours = cluster.consumer(Map.of())) {
            ours.assign(List.of(new TopicPartition(topic, 0)));
            ourRead = AssignedReadingTest.pollUntil(ours, count);
        }

        assertThat(kafkaRead).hasSize(count);
        assertThat(ourRead).hasSize(count);
        for (int i = 0; i < count; i++) {
            org.apache.kafka.clients.consumer.ConsumerRecord<String, String> theirs = kafkaRead.get(i);
            ConsumerRecord<String, String> mine = ourRead.get(i);
            assertThat(theirs.key()).isEqualTo(key(i));
            assertThat(theirs.value()).isEqualTo(value(i));
            assertThat(new String(theirs.headers().lastHeader("n").value(), StandardCharsets.UTF_8))
                    .isEqualTo(Integer.toString(i));
            assertThat(theirs.headers().lastHeader("empty").value()).isNull();
            assertThat(mine.offset()).isEqualTo(theirs.offset());
            assertThat(mine.key()).isEqualTo(theirs.key());
            assertThat(mine.value()).isEqualTo(theirs.value());
            assertThat(mine.timestamp()).isEqualTo(theirs.timestamp());
            assertThat(mine.leaderEpoch()).isEqualTo(theirs.leaderEpoch().orElse(-1));
            assertThat(mine.serializedValueSize()).isEqualTo(theirs.serializedValueSize());
            assertThat(mine.headers()).hasSize(2);
        }
    }
}

package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.client.common.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading assigned partitions: what Kafka's producer wrote comes back whole, in order. */
class AssignedReadingTest {

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

    /** Reads until {@code expected} records arrived or 30 s passed. */
    static List<ConsumerRecord<String, String>> pollUntil(Consumer<String, String> consumer, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (records.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void givenKafkaProducerRecordsWithACodecWhenAssignedAndPolledThenEveryRecordReturnsWithKeyValueAndHeaders(
            String codec) throws Exception {
        String topic = "codec-" + codec;
        cluster.createTopic(topic, 1);
        int count = 300;
        try (KafkaProducer<String, String> producer = cluster.kafkaProducer(Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.BATCH_SIZE_CONFIG, 4096))) {
            for (int i = 0; i < count; i++) {
                String key = i % 7 == 0 ? null : "k" + i;
                String value = i % 11 == 0 ? null : "value-" + i;
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, key, value);
                record.headers().add(new RecordHeader("h", ("hv" + i).getBytes(StandardCharsets.UTF_8)));
                if (i % 5 == 0) {
                    record.headers().add(new RecordHeader("nullable", null));
                }
                producer.send(record);
            }
            producer.flush();
        }
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, count);

            assertThat(records).hasSize(count);
            for (int i = 0; i < count; i++) {
                ConsumerRecord<String, String> record = records.get(i);
                assertThat(record.offset()).isEqualTo(i);
                assertThat(record.key()).isEqualTo(i % 7 == 0 ? null : "k" + i);
                assertThat(record.value()).isEqualTo(i % 11 == 0 ? null : "value-" + i);
                assertThat(new String(record.lastHeader("h").value(), StandardCharsets.UTF_8)).isEqualTo("hv" + i);
                if (i % 5 == 0) {
                    assertThat(record.lastHeader("nullable").value()).isNull();
                }
                assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
                assertThat(record.timestamp()).isPositive();
            }
            assertThat(consumer.position(new TopicPartition(topic, 0))).isEqualTo(count);
        }
    }

    @Test
    void givenMaxPollRecordsWhenPollingThenNoPollReturnsMoreAndNothingIsSkipped() throws Exception {
        String topic = "max-poll-records";
        cluster.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = cluster.kafkaProducer(Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "v" + i));
            }
        }
        try (TidelogConsumer<String, String> consumer = cluster.consumer(Map.of(ConsumerConfig.MAX_POLL_RECORDS, 7))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<Long> offsets = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (offsets.size() < 100 && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
                assertThat(batch.count()).isLessThanOrEqualTo(7);
                batch.forEach(r -> offsets.add(r.offset()));
            }
            assertThat(offsets).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(offsets.get(i)).isEqualTo(i);
            }
        }
    }
}

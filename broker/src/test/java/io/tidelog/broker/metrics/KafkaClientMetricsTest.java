package io.tidelog.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics seen through Apache Kafka's own producer and consumer. */
class KafkaClientMetricsTest {

    private static final String TOPIC = "clients";
    private static final int RECORDS = 40;

    @TempDir
    Path dir;

    @Test
    void givenKafkaClientsThatProduceAndConsumeEveryRecordOnce_whenScraped_thenRecordsInAndOutAndProduceRequestsMatch()
            throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            MetricsEndpointTest.createTopic(broker, TOPIC, 1);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(broker))) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, "key-" + i, "value-" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(broker))) {
                TopicPartition partition = new TopicPartition(TOPIC, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (consumed.size() < RECORDS && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(consumed::add);
                }
            }
            assertThat(consumed).hasSize(RECORDS);

            Scrape scrape = broker.scrape();

            assertThat(scrape.value("tidelog_topic_records_in_total", "topic", TOPIC)).hasValue(RECORDS);
            assertThat(scrape.value("tidelog_topic_records_out_total", "topic", TOPIC)).hasValue(RECORDS);
            assertThat(scrape.value("tidelog_topic_bytes_out_total", "topic", TOPIC))
                    .isEqualTo(scrape.value("tidelog_topic_bytes_in_total", "topic", TOPIC));
            assertThat(scrape.value("tidelog_request_duration_seconds_count", "api", "Produce").orElseThrow())
                    .isGreaterThanOrEqualTo(RECORDS);
            assertThat(scrape.value("tidelog_request_duration_seconds_count", "api", "Fetch").orElseThrow())
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.value("tidelog_request_duration_seconds_count", "api", "InitProducerId")).hasValue(1);
            assertThat(scrape.value("tidelog_partition_high_watermark", "topic", TOPIC, "partition", "0"))
                    .hasValue(RECORDS);
        }
    }

    private static Properties producerProps(MetricsBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static Properties consumerProps(MetricsBroker broker) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }
}

package io.tidelog.systemtests.clients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Apache Kafka's own clients (4.3.1) pointed at a broker under test: the independent observer that
 * creates topics and reads back what our producer wrote, and the peer producer whose records our
 * consumer must read. Callers close what they get.
 */
final class KafkaSide {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    private KafkaSide() {
    }

    static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return Admin.create(props);
    }

    /** Creates {@code topic} (replication factor 1) with topic-level {@code configs} and waits for it. */
    static void createTopic(String bootstrap, String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                    .all().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot create topic " + topic + " on " + bootstrap + ": " + e, e);
        }
    }

    static boolean topicExists(String bootstrap, String topic) {
        try (Admin admin = admin(bootstrap)) {
            return admin.listTopics().names().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).contains(topic);
        } catch (Exception e) {
            throw new AssertionError("cannot list topics on " + bootstrap + ": " + e, e);
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, Map<String, Object> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.putAll(extra);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** An assign/seek consumer: no group, no commits. */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads every partition of {@code topic} from its start until {@code count} records arrived or
     * the deadline passed, then polls briefly once more so surplus records (duplicates) show too.
     * Returns what was read, in partition then offset order per partition as delivered.
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int partitions, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    /** The log end offset of each partition of {@code topic}, as Kafka's consumer sees it. */
    static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic, int partitions) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
            return consumer.endOffsets(all, DEADLINE);
        }
    }
}

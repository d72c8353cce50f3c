package io.tidelog.client.consumer;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One in-process Tidelog broker on 127.0.0.1 and a free port with its data in a test's temp dir,
 * plus Kafka's Admin for topic set-up and DeleteRecords, and a KafkaProducer factory.
 */
final class TestCluster implements AutoCloseable {

    private final BrokerServer server;
    private final Admin admin;

    private TestCluster(BrokerServer server) {
        this.server = server;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        this.admin = Admin.create(props);
    }

    static TestCluster start(Path dataDir) throws IOException {
        return start(dataDir, Map.of());
    }

    static TestCluster start(Path dataDir, Map<String, String> overrides) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dataDir.toString());
        settings.put("log.segment.bytes", Integer.toString(4 * 1024 * 1024));
        settings.put("num.network.threads", "1");
        settings.put("num.io.threads", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("group.min.session.timeout.ms", "500");
        settings.put("offsets.topic.num.partitions", "1");
        settings.putAll(overrides);
        return new TestCluster(BrokerServer.start(BrokerConfig.from(settings), Time.SYSTEM));
    }

    String bootstrap() {
        return "127.0.0.1:" + server.boundAddress().getPort();
    }

    void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    void deleteRecordsBefore(String topic, int partition, long offset) throws Exception {
        admin.deleteRecords(Map.of(new org.apache.kafka.common.TopicPartition(topic, partition),
                RecordsToDelete.beforeOffset(offset))).all().get(30, TimeUnit.SECONDS);
    }

    BrokerServer server() {
        return server;
    }

    Admin admin() {
        return admin;
    }

    /** A KafkaProducer with String keys and values; extra settings override the defaults. */
    KafkaProducer<String, String> kafkaProducer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putAll(extra);
        return new KafkaProducer<>(props);
    }

    /** Base settings for our consumer: this broker, String deserializers, earliest reset. */
    Map<String, Object> consumerSettings(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS, bootstrap());
        settings.put(ConsumerConfig.KEY_DESERIALIZER, "org.apache.kafka.common.serialization.StringDeserializer");
        settings.put(ConsumerConfig.VALUE_DESERIALIZER, "org.apache.kafka.common.serialization.StringDeserializer");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET, "earliest");
        settings.putAll(extra);
        return settings;
    }

    TidelogConsumer<String, String> consumer(Map<String, Object> extra) {
        return new TidelogConsumer<>(consumerSettings(extra));
    }

    @Override
    public void close() {
        admin.close();
        server.shutdown();
    }
}

package io.tidelog.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One round trip with Apache Kafka's own Java clients against the in-process broker: Admin
 * creates a topic, the default (idempotent, acks=all) KafkaProducer writes keyed records with
 * headers, and a KafkaConsumer reads them back by assign + seekToBeginning. The full client
 * matrix runs in system-tests against a broker process.
 */
class KafkaClientSmokeTest {

    private static final String TOPIC = "smoke";

    @TempDir
    Path dir;
    private TestBroker broker;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dir);
        bootstrap = "127.0.0.1:" + broker.server().boundAddress().getPort();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void givenAnAdminCreatedTopic_whenKafkaProducerWritesAndKafkaConsumerReads_thenEveryRecordComesBackInOrder()
            throws Exception {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                    .all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
        }

        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            for (int i = 0; i < 20; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, 0, i % 3 == 0 ? null : "key-" + i,
                        "value-" + i);
                record.headers().add("h", ("header-" + i).getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(record).get(30, TimeUnit.SECONDS));
            }
        }
        assertThat(sent).extracting(RecordMetadata::offset).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 20).boxed().toList());

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < 20 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(received).hasSize(20);
        for (int i = 0; i < 20; i++) {
            ConsumerRecord<String, String> record = received.get(i);
            assertThat(record.offset()).isEqualTo(i);
            assertThat(record.value()).isEqualTo("value-" + i);
            assertThat(record.key()).isEqualTo(i % 3 == 0 ? null : "key-" + i);
            assertThat(new String(record.headers().lastHeader("h").value(), StandardCharsets.UTF_8))
                    .isEqualTo("header-" + i);
        }
    }

    @Test
    void givenAConsumerGroup_whenOneMemberCommitsAndAnotherJoinsLater_thenTheSecondResumesAfterTheCommittedOffset()
            throws Exception {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("grouped", 0, null, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        List<String> first = consumeAsGroupMember(6);
        List<String> second = consumeAsGroupMember(4);

        assertThat(first).containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
        assertThat(second).containsExactly("v6", "v7", "v8", "v9");
    }

    /** Joins group "g", reads {@code count} records of "grouped", commits exactly past them, leaves. */
    private List<String> consumeAsGroupMember(int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("grouped"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(record.offset() + 1)));
                }
            }
        }
        return values;
    }

    @Test
    void givenCommittedOffsetsOfATopic_whenTheTopicIsDeleted_thenTheGroupNoLongerListsThem() throws Exception {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "keeper");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        TopicPartition doomed = new TopicPartition("doomed", 0);
        try (Admin admin = Admin.create(adminProps)) {
            admin.createTopics(List.of(new NewTopic("doomed", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
                consumer.assign(List.of(doomed));
                consumer.commitSync(Map.of(doomed, new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)));
            }
            assertThat(admin.listConsumerGroupOffsets("keeper").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                    .containsKey(doomed);

            admin.deleteTopics(List.of("doomed")).all().get(30, TimeUnit.SECONDS);

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !admin
                    .listConsumerGroupOffsets("keeper").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .containsKey(doomed));
        }
    }
}

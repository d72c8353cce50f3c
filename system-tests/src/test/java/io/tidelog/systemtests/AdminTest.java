package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Apache Kafka's {@code Admin} client against one Tidelog broker process; each test has its own topics. */
class AdminTest {

    @TempDir
    static Path dataDir;

    private static BrokerProcess broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("AdminTest", dataDir);
        admin = Clients.admin(broker);
    }

    @AfterAll
    static void stopBroker() {
        try {
            if (admin != null) {
                admin.close();
            }
            if (broker != null) {
                broker.stop();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void aCreatedTopicIsListedAndDescribedWithItsPartitionsLedByThisBroker() throws Exception {
        admin.createTopics(List.of(new NewTopic("admin-created", 3, (short) 1))).all().get();

        assertThat(admin.listTopics().names().get()).contains("admin-created");
        TopicDescription description = admin.describeTopics(List.of("admin-created")).allTopicNames().get()
                .get("admin-created");
        assertThat(description.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
        for (TopicPartitionInfo partition : description.partitions()) {
            assertThat(partition.leader().id()).isEqualTo(1);
            assertThat(partition.replicas()).extracting(node -> node.id()).containsExactly(1);
            assertThat(partition.isr()).extracting(node -> node.id()).containsExactly(1);
        }
    }

    @Test
    void creatingATopicThatExistsFailsWithTopicExists() throws Exception {
        admin.createTopics(List.of(new NewTopic("admin-twice", 1, (short) 1))).all().get();

        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("admin-twice", 1, (short) 1))).all().get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicExistsException.class);
    }

    @Test
    void topicConfigsGivenAtCreationAreDescribedAsTopicOverridesAndTheRestAsDefaults() throws Exception {
        NewTopic topic = new NewTopic("admin-configs", 1, (short) 1)
                .configs(Map.of("retention.ms", "3600000", "cleanup.policy", "delete", "segment.bytes", "1048576"));
        admin.createTopics(List.of(topic)).all().get();

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-configs");
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

        assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("segment.bytes").value()).isEqualTo("1048576");
        assertThat(config.get("retention.bytes").value()).isEqualTo("-1");
        assertThat(config.get("retention.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("max.message.bytes").value()).isEqualTo("1048588");
    }

    @Test
    void anUnknownTopicConfigIsRejectedAndNoTopicIsCreated() throws Exception {
        NewTopic topic = new NewTopic("admin-bad-config", 1, (short) 1).configs(Map.of("retention.msec", "5"));

        assertThatThrownBy(() -> admin.createTopics(List.of(topic)).all().get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.msec");
        assertThat(admin.listTopics().names().get()).doesNotContain("admin-bad-config");
    }

    @Test
    void aDeletedTopicIsNoLongerListedOrDescribable() throws Exception {
        admin.createTopics(List.of(new NewTopic("admin-deleted", 2, (short) 1))).all().get();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            ProduceConsumeTest.sendMixedRecords(producer, "admin-deleted", 20, new Random(1));
        }

        admin.deleteTopics(List.of("admin-deleted")).all().get();

        assertThat(admin.listTopics().names().get()).doesNotContain("admin-deleted");
        assertThatThrownBy(() -> admin.describeTopics(List.of("admin-deleted")).allTopicNames().get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void deleteRecordsMovesTheLogStartOffsetSoConsumersFromTheBeginningStartThere() throws Exception {
        admin.createTopics(List.of(new NewTopic("admin-delete-records", 1, (short) 1))).all().get();
        List<ProduceConsumeTest.Sent> sent;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            sent = ProduceConsumeTest.sendMixedRecords(producer, "admin-delete-records", 40, new Random(2));
        }
        TopicPartition tp = new TopicPartition("admin-delete-records", 0);

        DeletedRecords deleted = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(15))).lowWatermarks()
                .get(tp).get();

        assertThat(deleted.lowWatermark()).isEqualTo(15);
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset()).isEqualTo(15);
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset()).isEqualTo(40);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(15);
            List<ConsumerRecord<byte[], byte[]>> records = Clients.pollAtLeast(consumer, 25);
            ProduceConsumeTest.assertPartitionMatches(0, sent.subList(15, 40), records, "none");
        }
    }

    @Test
    void theBrokersOwnConfigurationIsDescribed() throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, "1");

        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

        assertThat(config.get("num.partitions").value()).isEqualTo("1");
        assertThat(config.get("log.dirs").value()).isEqualTo(dataDir.toAbsolutePath().normalize().toString());
        assertThat(config.get("log.dirs").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
    }
}

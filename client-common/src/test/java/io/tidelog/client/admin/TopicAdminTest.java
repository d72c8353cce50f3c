package io.tidelog.client.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.client.common.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic operations of {@link TidelogAdmin} against a real in-process broker. */
class TopicAdminTest {

    @TempDir
    Path dataDir;

    private InProcessBroker broker;
    private TidelogAdmin admin;

    @BeforeEach
    void start() throws Exception {
        broker = InProcessBroker.start(dataDir);
        admin = new TidelogAdmin(broker.bootstrap(), Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void aCreatedTopicIsListedAndDescribedWithItsPartitionsLeaderAndOffsets() {
        admin.createTopic(new NewTopic("orders", 3, (short) 1));

        assertThat(admin.listTopics(false)).containsExactly("orders");
        TopicDescription orders = admin.describeTopics(List.of("orders")).get("orders");
        assertThat(orders.partitions()).extracting(PartitionDescription::partition).containsExactly(0, 1, 2);
        assertThat(orders.partitions()).allSatisfy(p -> {
            assertThat(p.leader()).isEqualTo(1);
            assertThat(p.replicas()).containsExactly(1);
            assertThat(p.isr()).containsExactly(1);
            assertThat(p.logStartOffset()).isZero();
            assertThat(p.highWatermark()).isZero();
        });
    }

    @Test
    void describeShowsTheHighWaterMarkAfterRecordsWereProduced() throws Exception {
        admin.createTopic(new NewTopic("events", 1, (short) 1));
        produce("events", 5);

        PartitionDescription partition = admin.describeTopics(List.of("events")).get("events").partitions().get(0);

        assertThat(partition.highWatermark()).isEqualTo(5);
        assertThat(admin.listOffsets(List.of(new TopicPartition("events", 0)), TidelogAdmin.LATEST))
                .containsEntry(new TopicPartition("events", 0), 5L);
        assertThat(admin.listOffsets(List.of(new TopicPartition("events", 0)), TidelogAdmin.EARLIEST))
                .containsEntry(new TopicPartition("events", 0), 0L);
    }

    @Test
    void creatingAnExistingTopicFailsWithTopicExists() {
        admin.createTopic(new NewTopic("orders", 1, (short) 1));

        assertThatThrownBy(() -> admin.createTopic(new NewTopic("orders", 1, (short) 1)))
                .isInstanceOf(TopicExistsException.class).hasMessage("topic 'orders' already exists");
    }

    @Test
    void aBadTopicConfigIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> admin.createTopic(new NewTopic("orders", 1, (short) 1,
                Map.of("retention.msx", "5"))))
                .isInstanceOf(AdminException.class)
                .hasMessageContaining("cannot create topic 'orders'").hasMessageContaining("retention.msx");
        assertThat(admin.listTopics(false)).isEmpty();
    }

    @Test
    void topicConfigsGivenAtCreationAreDescribedAsTheTopicsOwn() {
        admin.createTopic(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "3600000")));

        List<ConfigEntry> configs = admin.describeConfigs(ConfigResource.topic("orders"));

        assertThat(configs).filteredOn(c -> c.name().equals("retention.ms")).singleElement()
                .satisfies(c -> {
                    assertThat(c.value()).isEqualTo("3600000");
                    assertThat(c.isOverride()).isTrue();
                });
        assertThat(configs).filteredOn(c -> c.name().equals("segment.bytes")).singleElement()
                .satisfies(c -> assertThat(c.isOverride()).isFalse());
    }

    @Test
    void describingAnUnknownTopicFailsNamingIt() {
        assertThatThrownBy(() -> admin.describeTopics(List.of("nope")))
                .isInstanceOf(UnknownTopicException.class).hasMessage("topic 'nope' does not exist");
        assertThat(admin.listTopics(false)).doesNotContain("nope");
    }

    @Test
    void aDeletedTopicIsNoLongerListedAndDeletingItAgainFails() {
        admin.createTopic(new NewTopic("orders", 2, (short) 1));

        admin.deleteTopics(List.of("orders"));

        assertThat(admin.listTopics(false)).isEmpty();
        assertThatThrownBy(() -> admin.deleteTopics(List.of("orders"))).isInstanceOf(UnknownTopicException.class);
    }

    @Test
    void aPartitionBeyondTheTopicsCountIsReportedWithTheCount() {
        admin.createTopic(new NewTopic("orders", 2, (short) 1));

        assertThatThrownBy(() -> admin.listOffsets(List.of(new TopicPartition("orders", 7)), TidelogAdmin.LATEST))
                .isInstanceOf(AdminException.class)
                .hasMessage("partition 7 of topic 'orders' does not exist (the topic has 2 partitions)");
    }

    @Test
    void withNoBrokerListeningTheFailureNamesTheAddressAndTheCause() throws Exception {
        int port = InProcessBroker.closedPort();
        try (TidelogAdmin down = new TidelogAdmin("127.0.0.1:" + port, Duration.ofSeconds(20))) {
            assertThatThrownBy(() -> down.listTopics(false))
                    .isInstanceOf(BrokerUnreachableException.class)
                    .hasMessageStartingWith("cannot reach broker at 127.0.0.1:" + port + " (connection refused)");
        }
    }

    @Test
    void aListenerThatNeverAnswersIsReportedWhenTheTimeoutPasses() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress());
             TidelogAdmin stuck = new TidelogAdmin("127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(800))) {
            assertThatThrownBy(() -> stuck.listTopics(false))
                    .isInstanceOf(BrokerUnreachableException.class)
                    .hasMessageStartingWith("cannot reach broker at 127.0.0.1:" + silent.getLocalPort()
                            + " (no answer within 800 ms)");
        }
    }

    @Test
    void anUnknownSettingIsRefusedNamingIt() {
        assertThatThrownBy(() -> new TidelogAdmin(Map.of("bootstrap.servers", "127.0.0.1:9092", "acks", "all")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown admin setting 'acks'");
        assertThatThrownBy(() -> new TidelogAdmin("localhost"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bootstrap.servers 'localhost' is not host:port");
    }

    private void produce(String topic, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, ("v" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }
}

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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group operations of {@link TidelogAdmin}; the groups are formed by Kafka's own consumer. */
class GroupAdminTest {

    @TempDir
    Path dataDir;

    private InProcessBroker broker;
    private TidelogAdmin admin;

    @BeforeEach
    void start() throws Exception {
        broker = InProcessBroker.start(dataDir);
        admin = new TidelogAdmin(broker.bootstrap(), Duration.ofSeconds(20));
        admin.createTopic(new NewTopic("orders", 2, (short) 1));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>("orders", 0, null, ("v" + i).getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private KafkaConsumer<byte[], byte[]> member(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafka-member");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of("orders"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.assignment().size() == 2;
        });
        consumer.commitSync(Map.of(new org.apache.kafka.common.TopicPartition("orders", 0), new OffsetAndMetadata(3)));
        return consumer;
    }

    @Test
    void aGroupWithAConsumerIsDescribedWithItsMemberAndAssignment() {
        try (KafkaConsumer<byte[], byte[]> consumer = member("billing")) {
            GroupDescription group = admin.describeGroup("billing");

            assertThat(group.state()).isEqualTo("Stable");
            assertThat(group.protocolType()).isEqualTo("consumer");
            assertThat(group.members()).singleElement().satisfies(m -> {
                assertThat(m.clientId()).isEqualTo("kafka-member");
                assertThat(m.assignment()).containsExactly(new TopicPartition("orders", 0),
                        new TopicPartition("orders", 1));
            });
            assertThat(admin.listGroups()).extracting(GroupListing::groupId).containsExactly("billing");
        }
    }

    @Test
    void committedOffsetsAreListedPerPartition() {
        member("billing").close();

        assertThat(admin.listGroupOffsets("billing")).containsExactly(Map.entry(new TopicPartition("orders", 0), 3L));
    }

    @Test
    void resettingAnEmptyGroupCommitsTheNewOffsets() {
        member("billing").close();

        admin.resetGroupOffsets("billing", Map.of(new TopicPartition("orders", 0), 1L,
                new TopicPartition("orders", 1), 0L));

        assertThat(admin.listGroupOffsets("billing")).containsExactly(
                Map.entry(new TopicPartition("orders", 0), 1L), Map.entry(new TopicPartition("orders", 1), 0L));
    }

    @Test
    void resettingAGroupWithMembersIsRefusedAndChangesNothing() {
        try (KafkaConsumer<byte[], byte[]> consumer = member("billing")) {
            assertThatThrownBy(() -> admin.resetGroupOffsets("billing", Map.of(new TopicPartition("orders", 0), 0L)))
                    .isInstanceOf(GroupNotEmptyException.class)
                    .hasMessage("group 'billing' has 1 active member (state Stable); stop its consumers and try again");
            assertThat(admin.listGroupOffsets("billing")).containsEntry(new TopicPartition("orders", 0), 3L);
        }
    }

    @Test
    void aGroupThatNeverExistedIsNotFound() {
        assertThatThrownBy(() -> admin.describeGroup("nobody"))
                .isInstanceOf(GroupNotFoundException.class).hasMessage("group 'nobody' does not exist");
        assertThat(admin.listGroupOffsets("nobody")).isEmpty();
    }
}

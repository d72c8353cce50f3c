package io.tidelog.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own Admin managing consumer groups on a Tidelog broker: deleting groups
 * (DeleteGroups), resetting offsets from outside any generation (OffsetCommit with generation -1,
 * as Admin.alterConsumerGroupOffsets and kafka-consumer-groups --reset-offsets do) and deleting
 * single offsets (OffsetDelete).
 */
class GroupAdministrationTest {

    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path dir;
    private TestBroker broker;
    private Admin admin;
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = new TestBroker(dir, Map.of("group.initial.rebalance.delay.ms", "0"));
        admin = newAdmin();
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        produce(10);
    }

    @AfterEach
    void stop() {
        consumers.forEach(c -> c.close(Duration.ofSeconds(5)));
        admin.close();
        broker.close();
    }

    private String bootstrap() {
        return "127.0.0.1:" + broker.server().boundAddress().getPort();
    }

    private Admin newAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }

    /** {@code perPartition} records into each partition, values "p-i". */
    private void produce(int perPartition) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, null, p + "-" + i)).get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private KafkaConsumer<String, String> subscribedConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(TOPIC));
        consumers.add(consumer);
        return consumer;
    }

    /** A member that owns both partitions and has read (and committed) everything there is. */
    private KafkaConsumer<String, String> activeMemberThatReadAll() {
        KafkaConsumer<String, String> consumer = subscribedConsumer();
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
            return seen.size() >= 20;
        });
        consumer.commitSync(Duration.ofSeconds(30));
        return consumer;
    }

    private void closeConsumer(KafkaConsumer<String, String> consumer) {
        consumer.close(Duration.ofSeconds(10));
        consumers.remove(consumer);
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(
                admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
        offsets.values().removeIf(o -> o == null);
        return offsets;
    }

    private List<String> listedGroups() throws Exception {
        return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(GroupListing::groupId).toList();
    }

    @Test
    void givenAnEmptyGroupWithOffsets_whenDeleted_thenItIsGoneAndARestartDoesNotBringItsOffsetsBack() throws Exception {
        closeConsumer(activeMemberThatReadAll());
        assertThat(committed()).containsKeys(P0, P1);

        admin.deleteConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS);

        assertThat(committed()).isEmpty();
        assertThat(listedGroups()).doesNotContain(GROUP);
        admin.close();
        broker.restart();
        admin = newAdmin();
        assertThat(committed()).isEmpty();
        assertThat(listedGroups()).doesNotContain(GROUP);
    }

    @Test
    void givenADeletedGroup_whenAConsumerJoinsItAgain_thenItStartsFromAutoOffsetResetNotTheOldOffsets()
            throws Exception {
        closeConsumer(activeMemberThatReadAll());
        admin.deleteConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS);

        KafkaConsumer<String, String> again = subscribedConsumer();
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            again.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
            return seen.size() >= 20;
        });

        assertThat(seen).contains("0-0", "1-0");
    }

    @Test
    void givenAGroupWithAnActiveConsumer_whenDeleted_thenGroupNotEmptyAndItsOffsetsStay() throws Exception {
        activeMemberThatReadAll();

        assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(GroupNotEmptyException.class);

        assertThat(committed()).containsKeys(P0, P1);
    }

    @Test
    void givenNoSuchGroup_whenDeleted_thenGroupIdNotFound() {
        assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of("never-was")).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void givenAnEmptyGroup_whenItsOffsetsAreResetByAdmin_thenTheNextConsumerResumesThere() throws Exception {
        closeConsumer(activeMemberThatReadAll());

        admin.alterConsumerGroupOffsets(GROUP, Map.of(P0, new OffsetAndMetadata(7), P1, new OffsetAndMetadata(9)))
                .all().get(30, TimeUnit.SECONDS);

        KafkaConsumer<String, String> resumed = subscribedConsumer();
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ConsumerRecords<String, String> records = resumed.poll(Duration.ofMillis(100));
            records.forEach(r -> seen.add(r.value()));
            return seen.size() >= 4;
        });
        assertThat(seen).containsExactlyInAnyOrder("0-7", "0-8", "0-9", "1-9");
    }

    @Test
    void givenAGroupWithAnActiveConsumer_whenAdminResetsItsOffsets_thenTheCommitIsRefusedAndOffsetsStay()
            throws Exception {
        activeMemberThatReadAll();

        assertThatThrownBy(() -> admin.alterConsumerGroupOffsets(GROUP, Map.of(P0, new OffsetAndMetadata(1)))
                .all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(UnknownMemberIdException.class);

        assertThat(committed().get(P0).offset()).isEqualTo(10L);
    }

    @Test
    void givenAnEmptyGroup_whenOneOffsetIsDeleted_thenOnlyThatPartitionLosesItsCommit() throws Exception {
        closeConsumer(activeMemberThatReadAll());

        admin.deleteConsumerGroupOffsets(GROUP, Set.of(P0)).all().get(30, TimeUnit.SECONDS);

        assertThat(committed()).containsOnlyKeys(P1);
        admin.close();
        broker.restart();
        admin = newAdmin();
        assertThat(committed()).containsOnlyKeys(P1);
    }

    @Test
    void givenAGroupWhoseMemberSubscribesToTheTopic_whenItsOffsetIsDeleted_thenGroupSubscribedToTopic()
            throws Exception {
        activeMemberThatReadAll();

        assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets(GROUP, Set.of(P0)).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(GroupSubscribedToTopicException.class);

        assertThat(committed()).containsKeys(P0, P1);
    }
}

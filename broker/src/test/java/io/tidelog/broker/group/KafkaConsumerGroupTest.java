package io.tidelog.broker.group;

import io.tidelog.broker.RawClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.HeartbeatRequest;
import io.tidelog.protocol.message.HeartbeatResponse;
import io.tidelog.protocol.message.JoinGroupRequest;
import io.tidelog.protocol.message.JoinGroupResponse;
import io.tidelog.protocol.message.SyncGroupRequest;
import io.tidelog.protocol.message.SyncGroupResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's own KafkaConsumer (classic group protocol) and Admin against an in-process
 * broker: partitions are split among members, move when one leaves, and commits survive a restart.
 */
class KafkaConsumerGroupTest {

    private static final String TOPIC = "events";
    private static final String GROUP = "readers";
    private static final int PARTITIONS = 6;

    @TempDir
    Path dir;
    private BrokerServer server;
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        startBroker();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private void startBroker() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dir.toString());
        settings.put("log.segment.bytes", Integer.toString(1024 * 1024));
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        server = BrokerServer.start(BrokerConfig.from(settings), Time.SYSTEM);
    }

    @AfterEach
    void stop() {
        consumers.forEach(c -> c.close(Duration.ofSeconds(5)));
        if (server != null) {
            server.shutdown();
        }
    }

    private String bootstrap() {
        return "127.0.0.1:" + server.boundAddress().getPort();
    }

    private void produce(int from, int to) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private KafkaConsumer<String, String> newConsumer(String clientId) {
        return newConsumer(clientId, null);
    }

    private KafkaConsumer<String, String> newConsumer(String clientId, String groupInstanceId) {
        Properties props = new Properties();
        if (groupInstanceId != null) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
        }
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
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

    /** One poll of each consumer; what they read goes into {@code seen}; each commits what it read. */
    private static void pollAll(List<KafkaConsumer<String, String>> group, Set<String> seen) {
        for (KafkaConsumer<String, String> consumer : group) {
            boolean read = false;
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                seen.add(record.value());
                read = true;
            }
            if (read) {
                try {
                    consumer.commitSync(Duration.ofSeconds(5));
                } catch (KafkaException rebalancing) {
                    // the group is rebalancing: the next poll rejoins, the records are read again
                }
            }
        }
    }

    /** True when every partition is owned by exactly one of the consumers and each owns some. */
    private static boolean partitionsSplitAmong(List<KafkaConsumer<String, String>> group) {
        Set<TopicPartition> owned = new HashSet<>();
        int total = 0;
        for (KafkaConsumer<String, String> consumer : group) {
            Set<TopicPartition> assignment = consumer.assignment();
            if (assignment.isEmpty()) {
                return false;
            }
            owned.addAll(assignment);
            total += assignment.size();
        }
        return owned.size() == PARTITIONS && total == PARTITIONS;
    }

    private static Set<String> values(int from, int to) {
        Set<String> values = new HashSet<>();
        for (int i = from; i < to; i++) {
            values.add("v" + i);
        }
        return values;
    }

    @Test
    void givenThreeConsumers_thenEachPartitionHasOneOwner_andWhenOneLeavesItsPartitionsMoveToTheOthers()
            throws Exception {
        produce(0, 60);
        List<KafkaConsumer<String, String>> group = List.of(newConsumer("c1"), newConsumer("c2"), newConsumer("c3"));
        Set<String> seen = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollAll(group, seen);
            return partitionsSplitAmong(group) && seen.containsAll(values(0, 60));
        });
        assertThat(group).allSatisfy(c -> assertThat(c.assignment()).hasSize(2));

        KafkaConsumer<String, String> leaving = group.get(2);
        Set<TopicPartition> orphaned = leaving.assignment();
        leaving.close(Duration.ofSeconds(5));
        consumers.remove(leaving);
        List<KafkaConsumer<String, String>> remaining = group.subList(0, 2);
        produce(60, 72);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollAll(remaining, seen);
            return partitionsSplitAmong(remaining) && seen.containsAll(values(60, 72));
        });
        Set<TopicPartition> adopted = new HashSet<>(remaining.get(0).assignment());
        adopted.addAll(remaining.get(1).assignment());
        assertThat(adopted).containsAll(orphaned);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            assertThat(admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS))
                    .anySatisfy(listing -> assertThat(listing.groupId()).isEqualTo(GROUP));
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(30, TimeUnit.SECONDS).get(GROUP);
            assertThat(description.members()).hasSize(2);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed).hasSize(PARTITIONS);
        }
    }

    @Test
    void givenCommittedOffsets_whenTheBrokerRestarts_thenANewMemberResumesAtTheCommittedOffsets() throws Exception {
        produce(0, 30);
        KafkaConsumer<String, String> first = newConsumer("first");
        Set<String> seen = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollAll(List.of(first), seen);
            return seen.containsAll(values(0, 30));
        });
        first.close(Duration.ofSeconds(5));
        consumers.remove(first);

        server.shutdown();
        startBroker();
        produce(30, 36);

        KafkaConsumer<String, String> resumed = newConsumer("resumed");
        Set<String> afterRestart = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollAll(List.of(resumed), afterRestart);
            return afterRestart.containsAll(values(30, 36));
        });
        assertThat(afterRestart).containsExactlyInAnyOrderElementsOf(values(30, 36));
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(new TopicPartition(TOPIC, p));
        }
        assertThat(resumed.committed(all, Duration.ofSeconds(10)).values())
                .extracting(OffsetAndMetadata::offset).containsOnly(6L);
    }

    /** A group member that joins and syncs over a raw socket, then falls silent (a hung process). */
    private JoinGroupResponse ghostJoin(RawClient ghost, String memberId) throws IOException {
        byte[] subscription = toArray(ConsumerProtocol.serializeSubscription(
                new ConsumerPartitionAssignor.Subscription(List.of(TOPIC))));
        JoinGroupRequest join = new JoinGroupRequest().setGroupId(GROUP).setSessionTimeoutMs(6_000)
                .setRebalanceTimeoutMs(30_000).setMemberId(memberId).setProtocolType("consumer")
                .setProtocols(List.of(new JoinGroupRequest.JoinGroupRequestProtocol().setName("range")
                        .setMetadata(subscription)));
        return ghost.call(join, (short) 5, JoinGroupResponse::read);
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void givenAMemberThatStopsHeartbeating_thenAfterItsSessionTimeoutItsPartitionsMoveToTheLiveConsumer()
            throws Exception {
        KafkaConsumer<String, String> live = newConsumer("live");
        Set<String> seen = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollAll(List.of(live), seen);
            return live.assignment().size() == PARTITIONS;
        });
        try (RawClient ghost = new RawClient(server.boundAddress())) {
            String ghostId = ghostJoin(ghost, "").memberId(); // MEMBER_ID_REQUIRED hands out the id
            CompletableFuture<JoinGroupResponse> joined = CompletableFuture.supplyAsync(() -> {
                try {
                    return ghostJoin(ghost, ghostId);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                pollAll(List.of(live), seen);
                return joined.isDone();
            });
            int generation = joined.get().generationId();
            CompletableFuture<SyncGroupResponse> synced = CompletableFuture.supplyAsync(() -> {
                try {
                    return ghost.call(new SyncGroupRequest().setGroupId(GROUP).setGenerationId(generation)
                            .setMemberId(ghostId), (short) 3, SyncGroupResponse::read);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                pollAll(List.of(live), seen);
                return synced.isDone() && live.assignment().size() < PARTITIONS;
            });
            assertThat(synced.get().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(synced.get().assignment()))
                    .partitions()).hasSize(PARTITIONS - live.assignment().size());

            // The ghost never heartbeats again: after its 6 s session the live consumer owns everything.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                pollAll(List.of(live), seen);
                return live.assignment().size() == PARTITIONS;
            });
            HeartbeatResponse late = ghost.call(new HeartbeatRequest().setGroupId(GROUP).setGenerationId(generation)
                    .setMemberId(ghostId), (short) 3, HeartbeatResponse::read);
            assertThat(late.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        }
    }

    @Test
    void givenStaticMembers_whenOneRestartsWithinItsSession_thenItGetsItsPartitionsBackWithoutARebalance()
            throws Exception {
        produce(0, 12);
        KafkaConsumer<String, String> first = newConsumer("first", "instance-1");
        KafkaConsumer<String, String> second = newConsumer("second", "instance-2");
        Set<String> seen = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollAll(List.of(first, second), seen);
            return partitionsSplitAmong(List.of(first, second));
        });
        int generation = first.groupMetadata().generationId();
        Set<TopicPartition> secondsPartitions = Set.copyOf(second.assignment());
        second.close(Duration.ofSeconds(5)); // a static member does not leave the group on close
        consumers.remove(second);

        KafkaConsumer<String, String> restarted = newConsumer("second-again", "instance-2");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollAll(List.of(first, restarted), seen);
            return restarted.assignment().equals(secondsPartitions);
        });
        assertThat(restarted.groupMetadata().generationId()).isEqualTo(generation);
        assertThat(first.groupMetadata().generationId()).isEqualTo(generation);
        assertThat(first.assignment()).hasSize(PARTITIONS - secondsPartitions.size());
    }
}

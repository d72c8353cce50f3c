package io.tidelog.protocol.group;

import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.generator.MessageSchema;
import io.tidelog.protocol.message.ConsumerProtocolAssignment;
import io.tidelog.protocol.message.ConsumerProtocolSubscription;
import io.tidelog.protocol.message.MessageFixtures;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.protocol.types.SchemaException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The consumer protocol's version-prefixed payloads against kafka-clients' own ConsumerProtocol:
 * what we write the Java consumer reads, what the Java consumer writes we read, at every version,
 * and newer versions are read with the newest layout we know, as Kafka does.
 */
class ConsumerProtocolTest {

    private static final int ROUNDS_PER_VERSION = 50;
    private static final MessageSchema SCHEMA = MessageFixtures.schema();
    private static final byte[] USER_DATA = {7, 0, -1, 42};

    @Test
    void givenRandomSubscriptionsAtEveryVersionWhenWrittenByUsThenKafkaReadsAndRewritesTheSameBytes() {
        long seed = MessageFixtures.seed();
        Random random = new Random(seed);
        for (short version = 0; version <= ConsumerProtocolSubscription.HIGHEST_VERSION; version++) {
            for (int round = 0; round < ROUNDS_PER_VERSION; round++) {
                ConsumerProtocolSubscription ours = (ConsumerProtocolSubscription) MessageFixtures.randomMessage(
                        SCHEMA.message("ConsumerProtocolSubscription"), version, random);
                byte[] bytes = ConsumerProtocol.writeSubscription(ours, version);

                var theirs = Kafka.subscriptionStruct(bytes);

                assertThat(MessageUtil.toVersionPrefixedBytes(version, theirs)).as("v%d (seed %d)", version, seed)
                        .isEqualTo(bytes);
                assertThat(ConsumerProtocol.readSubscription(bytes))
                        .as("v%d (seed %d)", version, seed).isEqualTo(ours);
            }
        }
    }

    @Test
    void givenRandomAssignmentsAtEveryVersionWhenWrittenByUsThenKafkaReadsAndRewritesTheSameBytes() {
        long seed = MessageFixtures.seed();
        Random random = new Random(seed);
        for (short version = 0; version <= ConsumerProtocolAssignment.HIGHEST_VERSION; version++) {
            for (int round = 0; round < ROUNDS_PER_VERSION; round++) {
                ConsumerProtocolAssignment ours = (ConsumerProtocolAssignment) MessageFixtures.randomMessage(
                        SCHEMA.message("ConsumerProtocolAssignment"), version, random);
                byte[] bytes = ConsumerProtocol.writeAssignment(ours, version);

                var theirs = Kafka.assignmentStruct(bytes);

                assertThat(MessageUtil.toVersionPrefixedBytes(version, theirs)).as("v%d (seed %d)", version, seed)
                        .isEqualTo(bytes);
                assertThat(ConsumerProtocol.readAssignment(bytes))
                        .as("v%d (seed %d)", version, seed).isEqualTo(ours);
            }
        }
    }

    @Test
    void givenTheJavaConsumersSubscriptionAtEveryVersionWhenReadByUsThenTheFieldsThatVersionCarriesAreThere() {
        Subscription subscription = new Subscription(List.of("payments", "orders"), ByteBuffer.wrap(USER_DATA),
                List.of(new TopicPartition("orders", 2), new TopicPartition("payments", 1), new TopicPartition("orders", 0)),
                7, Optional.of("rack-a"));
        for (short version = 0; version <= 3; version++) {
            ConsumerProtocolSubscription read = ConsumerProtocol.readSubscription(
                    Kafka.writeSubscription(subscription, version));

            assertThat(read.topics()).as("v%d topics (Kafka sorts them)", version).containsExactly("orders", "payments");
            assertThat(read.userData()).as("v%d userData", version).isEqualTo(USER_DATA);
            assertThat(read.ownedPartitions()).as("v%d ownedPartitions", version).isEqualTo(version >= 1
                    ? List.of(owned("orders", 0, 2), owned("payments", 1)) : List.of());
            assertThat(read.generationId()).as("v%d generationId", version).isEqualTo(version >= 2 ? 7 : -1);
            assertThat(read.rackId()).as("v%d rackId", version).isEqualTo(version >= 3 ? "rack-a" : null);
        }
    }

    @Test
    void givenOurSubscriptionWhenTheJavaConsumerDeserializesItThenItSeesTheSameSubscription() {
        ConsumerProtocolSubscription ours = new ConsumerProtocolSubscription()
                .setTopics(List.of("orders", "payments"))
                .setUserData(USER_DATA)
                .setOwnedPartitions(List.of(owned("orders", 0, 2), owned("payments", 1)))
                .setGenerationId(7)
                .setRackId("rack-a");

        Subscription theirs = Kafka.readSubscription(
                ConsumerProtocol.writeSubscription(ours, ConsumerProtocolSubscription.HIGHEST_VERSION));

        assertThat(theirs.topics()).containsExactly("orders", "payments");
        assertThat(Kafka.bytes(theirs.userData())).isEqualTo(USER_DATA);
        assertThat(theirs.ownedPartitions()).containsExactly(new TopicPartition("orders", 0),
                new TopicPartition("orders", 2), new TopicPartition("payments", 1));
        assertThat(theirs.generationId()).contains(7);
        assertThat(theirs.rackId()).contains("rack-a");
    }

    @Test
    void givenTheLeadersAssignmentFromTheJavaClientWhenReadByUsAndWrittenBackThenTheMemberGetsTheSamePartitions() {
        Assignment assignment = new Assignment(List.of(new TopicPartition("orders", 1), new TopicPartition("orders", 4),
                new TopicPartition("payments", 0)), ByteBuffer.wrap(USER_DATA));
        for (short version = 0; version <= 3; version++) {
            ConsumerProtocolAssignment ours = ConsumerProtocol.readAssignment(
                    Kafka.writeAssignment(assignment, version));

            assertThat(ours.assignedPartitions()).as("v%d", version)
                    .isEqualTo(List.of(assigned("orders", 1, 4), assigned("payments", 0)));
            assertThat(ours.userData()).as("v%d", version).isEqualTo(USER_DATA);
            Assignment back = Kafka.readAssignment(ConsumerProtocol.writeAssignment(ours, version));
            assertThat(back.partitions()).as("v%d", version).isEqualTo(assignment.partitions());
        }
    }

    @Test
    void givenAPayloadFromANewerClientWhenReadThenItIsReadWithTheNewestLayoutAndTheExtraFieldsAreIgnoredLikeKafka() {
        ConsumerProtocolSubscription subscription = new ConsumerProtocolSubscription()
                .setTopics(List.of("orders")).setGenerationId(3).setRackId("rack-b");
        byte[] newer = withVersion(ConsumerProtocol.writeSubscription(subscription, (short) 3),
                (short) 9, new byte[] {0, 0, 0, 5, 1, 2});
        ConsumerProtocolAssignment assignment = new ConsumerProtocolAssignment()
                .setAssignedPartitions(List.of(assigned("orders", 0)));
        byte[] newerAssignment = withVersion(ConsumerProtocol.writeAssignment(assignment, (short) 3),
                (short) 4, new byte[] {9, 9});

        assertThat(ConsumerProtocol.version(newer)).isEqualTo((short) 9);
        assertThat(ConsumerProtocol.readSubscription(newer)).isEqualTo(subscription);
        assertThat(Kafka.readSubscription(newer).rackId()).contains("rack-b");
        assertThat(ConsumerProtocol.readAssignment(newerAssignment)).isEqualTo(assignment);
        assertThat(Kafka.readAssignment(newerAssignment).partitions())
                .containsExactly(new TopicPartition("orders", 0));
    }

    @Test
    void givenANegativeVersionWhenReadThenWeAndKafkaBothRefuseIt() {
        byte[] negative = withVersion(ConsumerProtocol.writeSubscription(
                new ConsumerProtocolSubscription().setTopics(List.of("orders")), (short) 0), (short) -1, new byte[0]);

        assertThatThrownBy(() -> ConsumerProtocol.readSubscription(negative))
                .isInstanceOf(ProtocolDecodeException.class).hasMessageContaining("negative version -1");
        assertThatThrownBy(() -> ConsumerProtocol.readAssignment(negative))
                .isInstanceOf(ProtocolDecodeException.class);
        assertThatThrownBy(() -> Kafka.readSubscription(negative))
                .isInstanceOf(SchemaException.class);
    }

    @Test
    void givenEveryTruncationOfAPayloadIncludingEmptyWhenReadThenItIsADecodeError() {
        ConsumerProtocolSubscription subscription = new ConsumerProtocolSubscription()
                .setTopics(List.of("orders", "payments")).setUserData(USER_DATA)
                .setOwnedPartitions(List.of(owned("orders", 0))).setGenerationId(1).setRackId("r");
        byte[] whole = ConsumerProtocol.writeSubscription(subscription, (short) 3);
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> ConsumerProtocol.readSubscription(cut))
                    .as("cut at %d of %d", length, whole.length).isInstanceOf(ProtocolDecodeException.class);
        }
        assertThatThrownBy(() -> ConsumerProtocol.readAssignment(new byte[0]))
                .isInstanceOf(ProtocolDecodeException.class);
    }

    private static ConsumerProtocolSubscription.TopicPartition owned(String topic, Integer... partitions) {
        return new ConsumerProtocolSubscription.TopicPartition().setTopic(topic)
                .setPartitions(new ArrayList<>(List.of(partitions)));
    }

    private static ConsumerProtocolAssignment.TopicPartition assigned(String topic, Integer... partitions) {
        return new ConsumerProtocolAssignment.TopicPartition().setTopic(topic)
                .setPartitions(new ArrayList<>(List.of(partitions)));
    }

    /** {@code payload} with its version replaced and {@code extra} appended. */
    private static byte[] withVersion(byte[] payload, short version, byte[] extra) {
        byte[] result = Arrays.copyOf(payload, payload.length + extra.length);
        ByteBuffer.wrap(result).putShort(0, version);
        System.arraycopy(extra, 0, result, payload.length, extra.length);
        return result;
    }

    /** kafka-clients' ConsumerProtocol, the oracle (its class name is the same as ours). */
    private static final class Kafka {

        static org.apache.kafka.common.message.ConsumerProtocolSubscription subscriptionStruct(byte[] payload) {
            return org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                    .deserializeConsumerProtocolSubscription(ByteBuffer.wrap(payload));
        }

        static org.apache.kafka.common.message.ConsumerProtocolAssignment assignmentStruct(byte[] payload) {
            return org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                    .deserializeConsumerProtocolAssignment(ByteBuffer.wrap(payload));
        }

        static Subscription readSubscription(byte[] payload) {
            return org.apache.kafka.clients.consumer.internals.ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(payload));
        }

        static Assignment readAssignment(byte[] payload) {
            return org.apache.kafka.clients.consumer.internals.ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(payload));
        }

        static byte[] writeSubscription(Subscription subscription, short version) {
            return bytes(org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(subscription, version));
        }

        static byte[] writeAssignment(Assignment assignment, short version) {
            return bytes(org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeAssignment(assignment, version));
        }

        static byte[] bytes(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
    }
}

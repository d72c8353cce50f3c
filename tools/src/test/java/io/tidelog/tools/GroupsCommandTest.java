package io.tidelog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidelog.tools.CliRunner.Outcome;

/**
 * {@code tidelog groups ...} against a real in-process broker; the groups are formed by Kafka's
 * own consumer, so what the command reports is checked against an independent client.
 */
class GroupsCommandTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path inputDir;

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dataDir);
        assertThat(tidelog("topics", "create", "orders", "--partitions", "2").exitCode()).isZero();
        Path lines = inputDir.resolve("lines.txt");
        Files.writeString(lines, "a\nb\nc\nd\ne\n");
        Outcome produced = tidelog("produce", "--topic", "orders", "--partition", "0", "--file", lines.toString());
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Outcome tidelog(String... args) {
        String[] withBootstrap = new String[args.length + 2];
        System.arraycopy(args, 0, withBootstrap, 0, args.length);
        withBootstrap[args.length] = "--bootstrap-server";
        withBootstrap[args.length + 1] = broker.bootstrap();
        return CliRunner.run(withBootstrap);
    }

    private KafkaConsumer<byte[], byte[]> kafkaConsumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafka-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /** Reads all five records as {@code group} and commits, leaving the consumer in the group. */
    private KafkaConsumer<byte[], byte[]> consumeAllAndCommit(String group) {
        KafkaConsumer<byte[], byte[]> consumer = kafkaConsumer(group);
        consumer.subscribe(List.of("orders"));
        int[] read = {0};
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            read[0] += consumer.poll(Duration.ofMillis(200)).count();
            return read[0] >= 5;
        });
        consumer.commitSync();
        return consumer;
    }

    @Test
    void describeShowsTheMemberItsAssignmentAndLagZeroAfterEverythingWasCommitted() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumeAllAndCommit("billing")) {
            Outcome described = tidelog("groups", "describe", "billing");

            assertThat(described.exitCode()).as(described.toString()).isZero();
            assertThat(described.out()).contains("Group: billing  State: Stable").contains("Members: 1")
                    .contains("kafka-reader").contains("orders-0,orders-1");
            assertThat(described.out()).containsPattern("(?m)^orders\\s+0\\s+5\\s+5\\s+0\\s+\\S+$");
        }
    }

    @Test
    void listShowsTheGroupAndItsState() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumeAllAndCommit("billing")) {
            Outcome listed = tidelog("groups", "list");

            assertThat(listed.exitCode()).as(listed.toString()).isZero();
            assertThat(listed.out()).containsPattern("(?m)^billing\\s+Stable\\s+consumer$");
        }
    }

    @Test
    void resetToEarliestMakesTheLagTheWholePartitionAndAConsumerResumesThere() {
        consumeAllAndCommit("billing").close();

        Outcome reset = tidelog("groups", "reset-offsets", "billing", "--topic", "orders:0", "--to-earliest");

        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.out()).containsPattern("(?m)^orders\\s+0\\s+5\\s+0$");
        assertThat(tidelog("groups", "describe", "billing").out())
                .containsPattern("(?m)^orders\\s+0\\s+0\\s+5\\s+5\\s+-$");
        try (KafkaConsumer<byte[], byte[]> consumer = kafkaConsumer("billing")) {
            consumer.subscribe(List.of("orders"));
            int[] read = {0};
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                read[0] += consumer.poll(Duration.ofMillis(200)).count();
                return read[0] >= 5;
            });
            assertThat(read[0]).isEqualTo(5);
        }
    }

    @Test
    void resetShiftByMovesEachCommittedOffsetWithinTheLog() {
        consumeAllAndCommit("billing").close();

        Outcome reset = tidelog("groups", "reset-offsets", "billing", "--shift-by", "-2");

        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.out()).containsPattern("(?m)^orders\\s+0\\s+5\\s+3$");
    }

    @Test
    void resetDryRunCommitsNothing() {
        consumeAllAndCommit("billing").close();

        Outcome reset = tidelog("groups", "reset-offsets", "billing", "--to-earliest", "--dry-run");

        assertThat(reset.out()).contains("Dry run: nothing committed.");
        assertThat(tidelog("groups", "describe", "billing").out()).containsPattern("(?m)^orders\\s+0\\s+5\\s+5\\s+0");
    }

    @Test
    void resetIsRefusedWhileTheGroupHasAConsumer() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumeAllAndCommit("billing")) {
            Outcome reset = tidelog("groups", "reset-offsets", "billing", "--to-earliest");

            assertThat(reset.exitCode()).isEqualTo(1);
            assertThat(reset.err().lines()).singleElement().asString()
                    .startsWith("error: group 'billing' has 1 active member").contains("stop its consumers");
        }
    }

    @Test
    void resetNeedsExactlyOneTarget() {
        Outcome reset = tidelog("groups", "reset-offsets", "billing", "--to-earliest", "--to-latest");

        assertThat(reset.exitCode()).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(reset.err()).contains("mutually exclusive");
    }

    @Test
    void anEmptyGroupIsDeletedWithItsOffsets() {
        consumeAllAndCommit("billing").close();

        Outcome deleted = tidelog("groups", "delete", "billing");

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("Deleted group billing.");
        assertThat(tidelog("groups", "list").out()).doesNotContain("billing");
        assertThat(tidelog("groups", "describe", "billing").err()).contains("group 'billing' does not exist");
    }

    @Test
    void deletingAGroupWithAConsumerIsRefused() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumeAllAndCommit("billing")) {
            Outcome deleted = tidelog("groups", "delete", "billing");

            assertThat(deleted.exitCode()).isEqualTo(1);
            assertThat(deleted.err().lines()).singleElement().asString()
                    .startsWith("error: group 'billing' has active members and cannot be deleted");
        }
    }

    @Test
    void describingAGroupThatDoesNotExistFailsNamingIt() {
        Outcome described = tidelog("groups", "describe", "nobody");

        assertThat(described.exitCode()).isEqualTo(1);
        assertThat(described.err().lines()).containsExactly("error: group 'nobody' does not exist");
    }

    @Test
    void withNoBrokerListeningGroupsListFailsInOneLine() throws Exception {
        int port = TestBroker.closedPort();

        Outcome outcome = CliRunner.run("groups", "list", "--bootstrap-server", "127.0.0.1:" + port, "--timeout", "5s");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err()).startsWith("error: cannot reach broker at 127.0.0.1:" + port);
    }
}

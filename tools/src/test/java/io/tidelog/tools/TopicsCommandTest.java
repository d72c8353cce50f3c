package io.tidelog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidelog.tools.CliRunner.Outcome;

/** {@code tidelog topics ...} against a real in-process broker. */
class TopicsCommandTest {

    @TempDir
    Path dataDir;

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dataDir);
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

    @Test
    void aCreatedTopicIsListedAndDescribedPartitionByPartition() {
        Outcome created = tidelog("topics", "create", "orders", "--partitions", "3", "--config", "retention.ms=3600000");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).contains("Created topic orders with 3 partitions, replication factor 1.");

        assertThat(tidelog("topics", "list").out().lines()).containsExactly("orders");

        Outcome described = tidelog("topics", "describe", "orders");
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.out()).contains("Topic: orders").contains("Partitions: 3").contains("ReplicationFactor: 1")
                .contains("Configs: retention.ms=3600000");
        assertThat(described.out().lines().filter(line -> line.matches("\\s+\\d+\\s+1\\s+\\d+\\s+1\\s+1\\s+0\\s+0")))
                .as(described.out()).hasSize(3);
    }

    @Test
    void describeShowsTheHighWaterMarkOfProducedRecords(@TempDir Path input) throws Exception {
        tidelog("topics", "create", "events", "--partitions", "1");
        java.nio.file.Files.writeString(input.resolve("lines.txt"), "a\nb\nc\n");
        assertThat(tidelog("produce", "--topic", "events", "--file", input.resolve("lines.txt").toString())
                .exitCode()).isZero();

        Outcome described = tidelog("topics", "describe", "events");

        assertThat(described.out()).containsPattern("(?m)^\\s+0\\s+1\\s+\\d+\\s+1\\s+1\\s+0\\s+3$");
    }

    @Test
    void creatingAnExistingTopicFailsInOneLineUnlessIfNotExists() {
        tidelog("topics", "create", "orders");

        Outcome again = tidelog("topics", "create", "orders");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err().lines()).containsExactly("error: topic 'orders' already exists");

        assertThat(tidelog("topics", "create", "orders", "--if-not-exists").exitCode()).isZero();
    }

    @Test
    void alterGrowsTheTopicsPartitionCount() {
        tidelog("topics", "create", "orders", "--partitions", "1");

        Outcome altered = tidelog("topics", "alter", "orders", "--partitions", "4");

        assertThat(altered.exitCode()).as(altered.toString()).isZero();
        assertThat(tidelog("topics", "describe", "orders").out()).contains("Partitions: 4");
    }

    @Test
    void alterSetsAndRemovesTopicConfigurationKeys() {
        tidelog("topics", "create", "orders", "--config", "retention.ms=3600000");

        Outcome altered = tidelog("topics", "alter", "orders", "--config", "segment.ms=60000",
                "--delete-config", "retention.ms");

        assertThat(altered.exitCode()).as(altered.toString()).isZero();
        assertThat(altered.out()).contains("Updated the configuration of topic orders.");
        assertThat(tidelog("topics", "describe", "orders").out()).contains("Configs: segment.ms=60000")
                .doesNotContain("retention.ms");
    }

    @Test
    void alterWithAnUnknownKeyFailsNamingIt() {
        tidelog("topics", "create", "orders");

        Outcome altered = tidelog("topics", "alter", "orders", "--config", "retention.msx=5");

        assertThat(altered.exitCode()).isEqualTo(1);
        assertThat(altered.err().lines()).singleElement().asString()
                .startsWith("error: cannot alter the configuration of topic 'orders'").contains("retention.msx");
    }

    @Test
    void alterWithNothingToChangeIsAUsageError() {
        Outcome outcome = tidelog("topics", "alter", "orders");

        assertThat(outcome.exitCode()).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(outcome.err()).contains("Nothing to change");
    }

    @Test
    void aDeletedTopicIsGoneAndDeletingItAgainSaysItDoesNotExist() {
        tidelog("topics", "create", "orders");

        Outcome deleted = tidelog("topics", "delete", "orders");
        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).contains("Deleted topic orders.");
        assertThat(tidelog("topics", "list").out()).isEmpty();

        Outcome again = tidelog("topics", "delete", "orders");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err().lines()).containsExactly("error: topic 'orders' does not exist");
    }

    @Test
    void describingAnUnknownTopicFailsNamingIt() {
        Outcome outcome = tidelog("topics", "describe", "nope");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err().lines()).containsExactly("error: topic 'nope' does not exist");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void aMistypedFlagIsAUsageErrorPointingAtHelp() {
        Outcome outcome = tidelog("topics", "create", "orders", "--partitionz", "3");

        assertThat(outcome.exitCode()).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(outcome.err()).contains("Unknown option").contains("'--partitionz'")
                .contains("see 'tidelog topics create --help'");
    }

    @Test
    void withNoBrokerListeningItFailsInOneLineNamingTheAddress() throws Exception {
        int port = TestBroker.closedPort();

        Outcome outcome = CliRunner.run("topics", "list", "--bootstrap-server", "127.0.0.1:" + port);

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err().lines()).singleElement().asString()
                .startsWith("error: cannot reach broker at 127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void aListenerThatNeverAnswersFailsOnceTheTimeoutPassed() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Outcome outcome = CliRunner.run("topics", "list", "--bootstrap-server",
                    "127.0.0.1:" + silent.getLocalPort(), "--timeout", "500ms");

            assertThat(outcome.exitCode()).isEqualTo(1);
            assertThat(outcome.err().lines()).singleElement().asString().startsWith(
                    "error: cannot reach broker at 127.0.0.1:" + silent.getLocalPort() + " (no answer within 500 ms)");
        }
    }

    @Test
    void everyTopicsSubcommandHasHelp() {
        for (String sub : new String[] {"create", "list", "describe", "delete", "alter"}) {
            Outcome help = CliRunner.run("topics", sub, "--help");
            assertThat(help.exitCode()).as(sub).isZero();
            assertThat(help.out()).as(sub).contains("Usage: tidelog topics " + sub).contains("--bootstrap-server");
        }
    }
}

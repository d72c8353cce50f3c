package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tidelog} client commands as real processes ({@code java -jar tidelog.jar ...}, what
 * {@code bin/tidelog} runs) against a broker process: stdin in, stdout out, exit codes, signals.
 */
class CliProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;
    @TempDir
    Path workDir;

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("cli-process", dataDir, "group.initial.rebalance.delay.ms=0",
                "offsets.topic.num.partitions=1");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.stop();
            broker.close();
        }
    }

    private TidelogCommand.Result tidelog(String stdin, String... args) {
        String[] withBootstrap = new String[args.length + 2];
        System.arraycopy(args, 0, withBootstrap, 0, args.length);
        withBootstrap[args.length] = "--bootstrap-server";
        withBootstrap[args.length + 1] = broker.bootstrapServers();
        return TidelogCommand.runWithInput(workDir, TIMEOUT, stdin, withBootstrap);
    }

    @Test
    void topicsAreCreatedListedAndDescribedByTheJar() {
        TidelogCommand.Result created = tidelog(null, "topics", "create", "cli-topics", "--partitions", "3");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.stdout()).contains("Created topic cli-topics with 3 partitions");

        assertThat(tidelog(null, "topics", "list").stdout().lines()).contains("cli-topics");
        TidelogCommand.Result described = tidelog(null, "topics", "describe", "cli-topics");
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.stdout()).contains("Partitions: 3").contains("HIGH-WATERMARK");
        assertThat(described.stderr()).as("client commands keep logging off stdout and quiet").isEmpty();
    }

    @Test
    void linesPipedIntoProduceComeOutOfConsumeFormatted() {
        tidelog(null, "topics", "create", "cli-pipe", "--partitions", "1");

        TidelogCommand.Result produced = tidelog("k1:one\nk2:two\nk3:three\n",
                "produce", "--topic", "cli-pipe", "--key-separator", ":");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.stdout()).contains("Produced 3 records to cli-pipe.");

        TidelogCommand.Result consumed = tidelog(null, "consume", "--topic", "cli-pipe", "--from-beginning",
                "--max-messages", "3", "--format", "%o %k=%v");
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.stdout().lines()).containsExactly("0 k1=one", "1 k2=two", "2 k3=three");
    }

    @Test
    void aGroupConsumerStoppedBySigtermExits0WithWhatItPrintedCommitted() {
        tidelog(null, "topics", "create", "cli-group", "--partitions", "1");
        tidelog("a\nb\nc\nd\n", "produce", "--topic", "cli-group");

        TidelogCommand.Running consumer = TidelogCommand.start(workDir, null, "consume", "--topic", "cli-group",
                "--group", "cli-readers", "--from-beginning", "--bootstrap-server", broker.bootstrapServers());
        Awaitility.await().atMost(TIMEOUT).until(() -> consumer.stdoutSoFar().lines().count() == 4);
        consumer.terminate();
        TidelogCommand.Result stopped = consumer.await(TIMEOUT);

        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(stopped.stdout().lines()).containsExactly("a", "b", "c", "d");
        TidelogCommand.Result described = tidelog(null, "groups", "describe", "cli-readers");
        assertThat(described.stdout()).as(described.toString())
                .containsPattern("(?m)^cli-group\\s+0\\s+4\\s+4\\s+0\\s+-$");
    }

    @Test
    void logDumpReadsAStoppedBrokersDirectoryAndReportsAByteChangedOnDisk(@TempDir Path ownData) throws Exception {
        BrokerProcess own = BrokerProcess.start("cli-log-dump", ownData);
        try {
            TidelogCommand.run(workDir, TIMEOUT, "topics", "create", "dumped", "--bootstrap-server",
                    own.bootstrapServers());
            for (String value : new String[] {"one", "two", "three"}) {
                TidelogCommand.Result produced = TidelogCommand.runWithInput(workDir, TIMEOUT, value + "\n",
                        "produce", "--topic", "dumped", "--bootstrap-server", own.bootstrapServers());
                assertThat(produced.exitCode()).as(produced.toString()).isZero();
            }
            own.stop();
        } finally {
            own.close();
        }
        Path segment = ownData.resolve("dumped-0").resolve("00000000000000000000.log");

        TidelogCommand.Result intact = TidelogCommand.run(workDir, TIMEOUT, "log", "dump", "--verify-index",
                ownData.toString());
        assertThat(intact.exitCode()).as(intact.toString()).isZero();
        assertThat(intact.stdout()).contains("OK " + segment + ": 3 batches, 3 records");

        long second = intact.stdout().lines().filter(l -> l.startsWith("position: ") && l.contains(" baseOffset: 1 "))
                .map(l -> Long.parseLong(l.split(" ")[1])).findFirst().orElseThrow();
        byte[] bytes = java.nio.file.Files.readAllBytes(segment);
        bytes[(int) second + 64] ^= 0x5a;
        java.nio.file.Files.write(segment, bytes);

        TidelogCommand.Result damaged = TidelogCommand.run(workDir, TIMEOUT, "log", "dump", segment.toString());
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(1);
        assertThat(damaged.stdout()).contains("CORRUPT " + segment + " at position " + second + ": CRC mismatch");
        assertThat(damaged.stderrLines()).singleElement().asString()
                .startsWith("error: found damage in 1 file: " + segment + " at position " + second);
    }

    @Test
    void withNoBrokerListeningTheJarExits1WithOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        TidelogCommand.Result result = TidelogCommand.run(workDir, TIMEOUT, "topics", "list",
                "--bootstrap-server", "127.0.0.1:" + port);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderrLines()).singleElement().asString()
                .startsWith("error: cannot reach broker at 127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void aMistypedFlagExits2() {
        TidelogCommand.Result result = TidelogCommand.run(workDir, TIMEOUT, "consume", "--topic", "x", "--max-mesages", "3");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderrLines()).singleElement().asString().contains("--max-mesages").contains("--help");
    }
}

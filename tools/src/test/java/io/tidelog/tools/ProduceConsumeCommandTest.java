package io.tidelog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidelog.tools.CliRunner.Outcome;

/** {@code tidelog produce} and {@code tidelog consume} against a real in-process broker, and each other. */
class ProduceConsumeCommandTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path inputDir;

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dataDir);
        assertThat(tidelog("topics", "create", "orders", "--partitions", "2").exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Outcome tidelog(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-server");
        all.add(broker.bootstrap());
        return CliRunner.run(all.toArray(String[]::new));
    }

    private Path input(String text) throws Exception {
        Path file = Files.createTempFile(inputDir, "input", ".txt");
        Files.writeString(file, text);
        return file;
    }

    private void produce(String text, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("produce", "--topic", "orders", "--file", input(text).toString()));
        args.addAll(List.of(extra));
        Outcome produced = tidelog(args.toArray(String[]::new));
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
    }

    @Test
    void keysValuesAndHeadersMakeTheRoundTripInTheFormatAsked() throws Exception {
        Outcome produced = tidelog("produce", "--topic", "orders", "--partition", "1", "--key-separator", "\\t",
                "--header", "source=cli", "--header", "trace=42", "--file", input("k1\tv1\nk2\tv2\nk3\tv3\n").toString());
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.out()).contains("Produced 3 records to orders.");

        Outcome consumed = tidelog("consume", "--topic", "orders", "--partition", "1", "--from-beginning",
                "--max-messages", "3", "--format", "%t/%p@%o %k=%v [%h] 100%%");

        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.out().lines()).containsExactly(
                "orders/1@0 k1=v1 [source=cli,trace=42] 100%",
                "orders/1@1 k2=v2 [source=cli,trace=42] 100%",
                "orders/1@2 k3=v3 [source=cli,trace=42] 100%");
        assertThat(consumed.err()).contains("Processed 3 records.");
    }

    @Test
    void everyCompressionCodecIsReadBack() throws Exception {
        for (String codec : new String[] {"gzip", "snappy", "lz4", "zstd"}) {
            produce(codec + "\n", "--partition", "0", "--compression", codec, "--acks", "1");
        }

        Outcome consumed = tidelog("consume", "--topic", "orders", "--partition", "0", "--from-beginning",
                "--max-messages", "4");

        assertThat(consumed.out().lines()).containsExactly("gzip", "snappy", "lz4", "zstd");
    }

    @Test
    void consumeStartsAtTheOffsetAsked() throws Exception {
        produce("a\nb\nc\nd\n", "--partition", "0");

        Outcome consumed = tidelog("consume", "--topic", "orders", "--partition", "0", "--offset", "2",
                "--max-messages", "2", "--format", "%o:%v");

        assertThat(consumed.out().lines()).containsExactly("2:c", "3:d");
    }

    @Test
    void consumeFromATimestampSkipsOlderRecords() throws Exception {
        produce("old\n", "--partition", "0");
        Instant between = Instant.now().plusMillis(5);
        while (!Instant.now().isAfter(between)) {
            Thread.onSpinWait();
        }
        produce("new\n", "--partition", "0");

        Outcome consumed = tidelog("consume", "--topic", "orders", "--partition", "0", "--from-timestamp",
                between.toString(), "--max-messages", "1");

        assertThat(consumed.out().lines()).containsExactly("new");
    }

    @Test
    void anIdleConsumerWithoutNewRecordsExitsAfterTheIdleTimeout() throws Exception {
        produce("a\n");

        Outcome consumed = tidelog("consume", "--topic", "orders", "--idle-timeout", "1s");

        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.out()).isEmpty();
        assertThat(consumed.err()).contains("Processed 0 records.");
    }

    @Test
    void aGroupCommitsWhatItPrintedSoDescribeShowsLagZeroAndAResetMakesItReadAgain() throws Exception {
        produce("a\nb\nc\n", "--partition", "0");

        Outcome first = tidelog("consume", "--topic", "orders", "--group", "billing", "--from-beginning",
                "--max-messages", "3");
        assertThat(first.out().lines()).as(first.toString()).containsExactly("a", "b", "c");

        Outcome described = tidelog("groups", "describe", "billing");
        assertThat(described.out()).as(described.toString()).contains("State: Empty")
                .containsPattern("(?m)^orders\\s+0\\s+3\\s+3\\s+0\\s+-$");

        assertThat(tidelog("groups", "reset-offsets", "billing", "--topic", "orders:0", "--to-offset", "1")
                .exitCode()).isZero();
        Outcome again = tidelog("consume", "--topic", "orders", "--group", "billing", "--max-messages", "2");
        assertThat(again.out().lines()).as(again.toString()).containsExactly("b", "c");
    }

    @Test
    void aGroupResumesAfterTheLastRecordItPrinted() throws Exception {
        produce("a\nb\nc\nd\n", "--partition", "0");

        tidelog("consume", "--topic", "orders", "--group", "billing", "--from-beginning", "--max-messages", "1");
        Outcome rest = tidelog("consume", "--topic", "orders", "--group", "billing", "--idle-timeout", "2s");

        assertThat(rest.out().lines()).as(rest.toString()).containsExactly("b", "c", "d");
    }

    @Test
    void aRecordTheProducerCannotSendMakesTheCommandFailWithTheCountAndTheCause() throws Exception {
        String tooLarge = "x".repeat(2 * 1024 * 1024);

        Outcome produced = tidelog("produce", "--topic", "orders", "--file", input("small\n" + tooLarge + "\n").toString());

        assertThat(produced.exitCode()).as(produced.toString()).isEqualTo(1);
        assertThat(produced.err().lines()).singleElement().asString()
                .startsWith("error: 1 of 2 records were not sent to orders: ");
    }

    @Test
    void producingToATopicThatDoesNotExistFailsSayingHowToCreateIt() throws Exception {
        Outcome produced = tidelog("produce", "--topic", "nope", "--file", input("x\n").toString());

        assertThat(produced.exitCode()).isEqualTo(1);
        assertThat(produced.err().lines()).containsExactly(
                "error: topic 'nope' does not exist (create it with: tidelog topics create nope)");
    }

    @Test
    void consumingATopicThatDoesNotExistFailsNamingIt() {
        Outcome consumed = tidelog("consume", "--topic", "nope", "--max-messages", "1");

        assertThat(consumed.exitCode()).isEqualTo(1);
        assertThat(consumed.err().lines()).containsExactly("error: topic 'nope' does not exist");
    }

    @Test
    void aLineWithoutTheKeySeparatorFailsNamingTheLine() throws Exception {
        Outcome produced = tidelog("produce", "--topic", "orders", "--key-separator", ":",
                "--file", input("a:1\nno separator\n").toString());

        assertThat(produced.exitCode()).isEqualTo(1);
        assertThat(produced.err().lines()).singleElement().asString()
                .startsWith("error: line 2 has no key separator ':'");
    }

    @Test
    void anUnknownCodecOrAcksIsAUsageError() throws Exception {
        Outcome codec = tidelog("produce", "--topic", "orders", "--file", input("x\n").toString(),
                "--compression", "brotli");
        Outcome acks = tidelog("produce", "--topic", "orders", "--file", input("x\n").toString(), "--acks", "2");

        assertThat(codec.exitCode()).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(codec.err()).contains("Invalid --compression 'brotli'");
        assertThat(acks.exitCode()).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(acks.err()).contains("Invalid --acks '2'");
    }

    @Test
    void anUnknownFormatFieldIsAUsageError() {
        Outcome consumed = tidelog("consume", "--topic", "orders", "--format", "%x");

        assertThat(consumed.exitCode()).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(consumed.err()).contains("unknown format field '%x'");
    }

    @Test
    void aBadProducerSettingIsOneLineNamingIt() throws Exception {
        Outcome produced = tidelog("produce", "--topic", "orders", "--file", input("x\n").toString(),
                "--property", "linger.msx=5");

        assertThat(produced.exitCode()).isEqualTo(1);
        assertThat(produced.err().lines()).singleElement().asString().startsWith("error: ").contains("linger.msx");
    }

    @Test
    void withNoBrokerListeningProduceAndConsumeFailInOneLine() throws Exception {
        int port = TestBroker.closedPort();
        String address = "127.0.0.1:" + port;

        Outcome produced = CliRunner.run("produce", "--topic", "orders", "--file", input("x\n").toString(),
                "--bootstrap-server", address);
        Outcome consumed = CliRunner.run("consume", "--topic", "orders", "--bootstrap-server", address);

        for (Outcome outcome : List.of(produced, consumed)) {
            assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(1);
            assertThat(outcome.err().lines()).as(outcome.toString()).singleElement().asString()
                    .startsWith("error: cannot reach broker at " + address + " (connection refused)");
        }
    }
}

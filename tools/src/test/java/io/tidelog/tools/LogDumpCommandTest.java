package io.tidelog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidelog.tools.CliRunner.Outcome;

/**
 * {@code tidelog log dump} on segments a real broker wrote and then closed: five batches of one
 * record each, an offset-index entry after every batch. Damage is planted in copies.
 */
class LogDumpCommandTest {

    private static final Pattern POSITION = Pattern.compile("(?m)^position: (\\d+) baseOffset");

    @TempDir
    static Path dataDir;
    @TempDir
    Path scratch;

    private static Path segment;
    private static List<Long> batchPositions;

    @BeforeAll
    static void writeSegmentWithABrokerAndStopIt(@TempDir Path input) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, Map.of("log.index.interval.bytes", "1"))) {
            run("topics", "create", "orders", "--partitions", "1", "--bootstrap-server", broker.bootstrap());
            for (int i = 0; i < 5; i++) {
                Path line = input.resolve("line" + i);
                Files.writeString(line, "key" + i + ":value" + i + "\n");
                run("produce", "--topic", "orders", "--key-separator", ":", "--file", line.toString(),
                        "--bootstrap-server", broker.bootstrap());
            }
        }
        segment = dataDir.resolve("orders-0").resolve("00000000000000000000.log");
        Outcome dump = CliRunner.run("log", "dump", segment.toString());
        batchPositions = POSITION.matcher(dump.out()).results().map(m -> Long.parseLong(m.group(1))).toList();
        assertThat(batchPositions).as(dump.toString()).hasSize(5);
    }

    private static void run(String... args) {
        Outcome outcome = CliRunner.run(args);
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
    }

    @Test
    void anIntactSegmentShowsEveryBatchWithAValidCrcAndExits0() {
        Outcome dump = CliRunner.run("log", "dump", segment.toString());

        assertThat(dump.exitCode()).as(dump.toString()).isZero();
        assertThat(dump.out().lines().filter(l -> l.startsWith("position: "))).hasSize(5).allSatisfy(line ->
                assertThat(line).containsPattern("count: 1 partitionLeaderEpoch: \\d+ magic: 2 codec: none crc: 0x[0-9a-f]{8} valid")
                        .contains("producerId: ").contains("baseSequence: ").contains("maxTimestamp: "));
        assertThat(dump.out()).contains("baseOffset: 4 lastOffset: 4")
                .contains("OK " + segment + ": 5 batches, 5 records");
    }

    @Test
    void recordsAreShownWithKeysAndValuesWhenAsked() {
        Outcome dump = CliRunner.run("log", "dump", "--records", segment.toString());

        assertThat(dump.out()).containsPattern("\\| offset: 2 timestamp: \\d+ key: key2 value: value2");
    }

    @Test
    void aFlippedByteInTheThirdBatchIsReportedAtItsPositionAndExits1() throws IOException {
        Path copy = copyOf(segment);
        long third = batchPositions.get(2);
        flipByte(copy, third + 64);

        Outcome dump = CliRunner.run("log", "dump", copy.toString());

        assertThat(dump.exitCode()).isEqualTo(1);
        assertThat(dump.out()).containsPattern("(?m)^position: " + third + " baseOffset: 2 .* crc: 0x[0-9a-f]{8} INVALID")
                .contains("CORRUPT " + copy + " at position " + third + ": CRC mismatch in the batch at offset 2")
                .contains("Recovery would keep the first " + third + " bytes");
        assertThat(dump.err().lines()).singleElement().asString()
                .startsWith("error: found damage in 1 file: " + copy + " at position " + third + " (CRC mismatch");
    }

    @Test
    void aBatchLengthPastTheEndOfTheFileStopsTheScanThere() throws IOException {
        Path copy = copyOf(segment);
        long second = batchPositions.get(1);
        writeInt(copy, second + 8, 1_000_000);

        Outcome dump = CliRunner.run("log", "dump", copy.toString());

        assertThat(dump.exitCode()).isEqualTo(1);
        assertThat(dump.out()).contains("CORRUPT " + copy + " at position " + second + ": bad length");
        assertThat(dump.out().lines().filter(l -> l.startsWith("position: "))).hasSize(1);
    }

    @Test
    void dumpingNeverChangesTheFile() throws IOException {
        byte[] before = Files.readAllBytes(segment);

        CliRunner.run("log", "dump", "--verify-index", "--records", segment.toString());

        assertThat(Files.readAllBytes(segment)).isEqualTo(before);
    }

    @Test
    void theBrokersIndexesMatchItsLog() {
        Outcome dump = CliRunner.run("log", "dump", "--verify-index", segment.toString());

        assertThat(dump.exitCode()).as(dump.toString()).isZero();
        assertThat(dump.out()).containsPattern("OK \\S+00000000000000000000\\.index: (1 entry matches|[2-9]\\d* entries match|[1-9]\\d+ entries match) the log")
                .containsPattern("OK \\S+00000000000000000000\\.timeindex: (1 entry matches|[2-9]\\d* entries match|[1-9]\\d+ entries match) the log");
    }

    @Test
    void anIndexEntryPointingIntoTheMiddleOfABatchIsReported() throws IOException {
        Path log = copyOf(segment);
        Path index = copyOf(segment.resolveSibling("00000000000000000000.index"));
        long firstEntryPosition = readInt(index, 4);
        writeInt(index, 4, (int) firstEntryPosition + 1);

        Outcome dump = CliRunner.run("log", "dump", "--verify-index", log.toString());

        assertThat(dump.exitCode()).isEqualTo(1);
        assertThat(dump.out()).contains("BAD " + index + " entry 0: offset ")
                .contains("no valid batch starts at position " + (firstEntryPosition + 1));
        assertThat(dump.err()).startsWith("error: found damage in 1 file: " + index);
    }

    @Test
    void aDirectoryStandsForEverySegmentBelowIt() {
        Outcome dump = CliRunner.run("log", "dump", dataDir.toString());

        assertThat(dump.exitCode()).as(dump.toString()).isZero();
        assertThat(dump.out()).contains("Dumping " + segment);
    }

    @Test
    void aMissingFileIsOneLine() {
        Outcome dump = CliRunner.run("log", "dump", scratch.resolve("nope.log").toString());

        assertThat(dump.exitCode()).isEqualTo(1);
        assertThat(dump.err().lines()).containsExactly("error: " + scratch.resolve("nope.log") + " does not exist");
    }

    private Path copyOf(Path file) throws IOException {
        Path copy = scratch.resolve(file.getFileName());
        Files.copy(file, copy);
        return copy;
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) ~one.get(0)).rewind();
            channel.write(one, position);
        }
    }

    private static void writeInt(Path file, long position, int value) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).putInt(0, value), position);
        }
    }

    private static int readInt(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer four = ByteBuffer.allocate(4);
            channel.read(four, position);
            return four.getInt(0);
        }
    }
}

package io.tidelog.broker.log;

import static io.tidelog.broker.TestLogs.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults found in review, each reproduced by its test before the fix: truncation onto a live
 * segment's base name, retired segments outliving a closed log, and a reopened active segment
 * being read back on the first append (an event-loop stall).
 */
class PartitionLogFaultRegressionTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenTruncationBelowTheLogStartOntoALiveSegmentsBase_whenAppendingAndRestarting_thenTheAppendsSurvive(
            SegmentBackend backend) throws Exception {
        LogConfig config = TestLogs.smallConfig(backend).backend(backend).build();
        PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true);
        for (int i = 0; i < 5; i++) {
            log.append(batch(2, 10, time.milliseconds()), 1);
        }
        log.advanceLogStartOffset(4);
        log.truncateTo(0); // below the log start offset, and 0 is the active segment's base offset

        log.append(batch(2, 10, time.milliseconds()), 2);
        log.append(batch(2, 10, time.milliseconds()), 2);
        log.close();

        PartitionLog reopened = PartitionLog.open(dir, config, time, 0, 0, true);
        try {
            assertThat(reopened.logEndOffset()).as("the two acknowledged appends after the truncation").isEqualTo(4);
            assertThat(reopened.logStartOffset()).isZero();
        } finally {
            reopened.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenRetiredSegmentsWaitingForTheirDeleteDelay_whenTheLogIsClosedWithoutFlush_thenNoFileOfItStaysOpen(
            SegmentBackend backend) throws Exception {
        LogConfig config = TestLogs.smallConfig(backend).backend(backend).segmentBytes(1024).build();
        PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true);
        for (int i = 0; i < 30; i++) {
            log.append(batch(2, 150, time.milliseconds()), 1);
        }
        log.advanceLogStartOffset(log.logEndOffset()); // DeleteRecords retires every sealed segment
        assertThat(log.pendingDeletionCount()).isPositive();

        log.closeWithoutFlush(); // what LogManager.deleteLog does when a topic is deleted

        assertThat(openDescriptorsUnder(dir)).as("descriptors still open on files of the closed log").isZero();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenACleanlyReopenedActiveSegment_whenTheFirstAppendArrives_thenTheSegmentIsNotReadBack(
            SegmentBackend backend) throws Exception {
        LogConfig config = TestLogs.smallConfig(backend).backend(backend).segmentBytes(128 << 20)
                .maxMessageBytes(2 << 20).build();
        PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true);
        for (int i = 0; i < 32; i++) {
            log.append(batch(1, 1 << 20, time.milliseconds()), 1); // ~32 MiB in the active segment
        }
        log.close();

        PartitionLog reopened = PartitionLog.open(dir, config, time, 0, 0, true);
        try {
            long before = bytesReadByThisProcess();
            reopened.append(batch(1, 100, time.milliseconds()), 1);
            assertThat(bytesReadByThisProcess() - before).as("bytes read by one 100-byte append")
                    .isLessThan(4L << 20);
        } finally {
            reopened.close();
        }
    }

    private static long openDescriptorsUnder(Path dir) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(dir.toString());
                } catch (IOException e) {
                    return false; // the descriptor closed while we listed
                }
            }).count();
        }
    }

    /** {@code rchar} of /proc/self/io: bytes this process read through read-like system calls. */
    private static long bytesReadByThisProcess() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("rchar:")) {
                return Long.parseLong(line.substring("rchar:".length()).trim());
            }
        }
        throw new IllegalStateException("no rchar in /proc/self/io");
    }
}

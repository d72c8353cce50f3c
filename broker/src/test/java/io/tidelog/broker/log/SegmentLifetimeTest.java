package io.tidelog.broker.log;

import static io.tidelog.broker.TestLogs.batch;
import static io.tidelog.broker.TestLogs.batchesIn;
import static io.tidelog.broker.TestLogs.bytesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reference counting and unmapping: deleted segments never crash readers and never leak mappings or files. */
class SegmentLifetimeTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();

    private static List<String> mappedPathsUnder(Path dir) throws Exception {
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains(dir.toString())) {
                found.add(line.substring(line.indexOf('/')));
            }
        }
        return found;
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenRetentionDeletedSegments_whenLookingAtTheProcessMappings_thenNoDeletedSegmentFileIsStillMapped(SegmentBackend backend) throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "Linux only");
        try (PartitionLog log = PartitionLog.open(dir, TestLogs.smallConfig(backend).segmentBytes(1024).build(), time, 0, 0, true)) {
            for (int i = 0; i < 20; i++) {
                log.append(batch(2, 150, 1), 0);
            }
            String firstSegment = LogSegment.fileName(0, "");
            log.roll();
            assertThat(mappedPathsUnder(dir)).as("indexes of sealed segments are mapped").anyMatch(p -> p.contains(firstSegment));

            log.advanceLogStartOffset(log.logEndOffset());
            log.deleteRetiredSegmentFiles();

            List<String> mapped = mappedPathsUnder(dir);
            assertThat(mapped).as("only the active segment remains mapped").isNotEmpty()
                    .allMatch(p -> p.contains(LogSegment.fileName(log.logEndOffset(), "")));
            assertThat(mapped).noneMatch(p -> p.contains(LogSegment.DELETED_SUFFIX));
        }
        assertThat(mappedPathsUnder(dir)).as("closing the log unmaps everything").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAReaderHoldingASlice_whenRetentionDeletesItsSegment_thenTheBytesStayReadableAndTheFileGoesOnRelease(SegmentBackend backend) throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, TestLogs.smallConfig(backend).segmentBytes(1024).build(), time, 0, 0, true)) {
            for (int i = 0; i < 10; i++) {
                log.append(batch(2, 150, 1), 0);
            }
            LogReadResult held = log.read(0, 1 << 20, Long.MAX_VALUE);
            ByteBuffer expected = bytesOf(held.slice());
            Path deleted = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX) + LogSegment.DELETED_SUFFIX);

            log.advanceLogStartOffset(log.logEndOffset());
            assertThat(log.deleteRetiredSegmentFiles()).as("the held segment is still pending").isPositive();

            assertThat(deleted).exists();
            assertThat(bytesOf(held.slice())).isEqualTo(expected);
            held.slice().release();
            assertThat(log.deleteRetiredSegmentFiles()).isZero();
            assertThat(deleted).doesNotExist();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenReadersRacingWithRetention_whenSegmentsAreDeletedUnderThem_thenEveryReadIsWholeValidBatchesOrOutOfRange(SegmentBackend backend) throws Exception {
        LogConfig config = TestLogs.smallConfig(backend).segmentBytes(1024).retentionBytes(3000).build();
        try (PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true)) {
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService readers = Executors.newFixedThreadPool(2);
            List<Future<Integer>> results = new ArrayList<>();
            try {
                for (int r = 0; r < 2; r++) {
                    long seed = SEED + r;
                    results.add(readers.submit(() -> readUntilDone(log, done, new Random(seed))));
                }
                for (int i = 0; i < 600; i++) {
                    assertThat(log.append(batch(2, 100, 1), 0).isSuccess()).isTrue();
                    if (i % 5 == 0) {
                        log.deleteRetentionBreachedSegments();
                        log.deleteRetiredSegmentFiles();
                    }
                }
                done.set(true);
                for (Future<Integer> result : results) {
                    assertThat(result.get(60, TimeUnit.SECONDS)).as("seed %d", SEED).isPositive();
                }
            } finally {
                done.set(true);
                readers.shutdownNow();
            }
            assertThat(log.deleteRetiredSegmentFiles()).as("all readers released: every retired file is gone").isZero();
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(LogSegment.DELETED_SUFFIX));
            }
        }
    }

    private static int readUntilDone(PartitionLog log, AtomicBoolean done, Random random) throws Exception {
        int reads = 0;
        while (!done.get() && reads < 1_000_000) {
            long start = log.logStartOffset();
            long end = log.logEndOffset();
            long offset = start + (end > start ? (long) (random.nextDouble() * (end - start)) : 0);
            LogReadResult read = log.read(offset, 1 + random.nextInt(4000), end);
            try {
                if (!read.offsetOutOfRange() && !read.slice().isEmpty()) {
                    List<long[]> batches = batchesIn(bytesOf(read.slice()));
                    assertThat(batches.get(0)[0]).isLessThanOrEqualTo(offset);
                    assertThat(batches.get(0)[1]).isGreaterThanOrEqualTo(offset);
                    reads++;
                }
            } finally {
                read.slice().release();
            }
        }
        return reads;
    }
}

package io.tidelog.broker.log;

import static io.tidelog.broker.log.CompactionLogs.append;
import static io.tidelog.broker.log.CompactionLogs.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.Record;
import io.tidelog.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers during cleaning: a slice taken before a swap keeps reading the replaced segment's
 * bytes through its open channel and the file goes only when it is released; readers racing
 * with repeated cleanings always get whole valid batches that hold the records written at their
 * offsets.
 */
class LogCompactionReadersTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();

    private static LogConfig config(SegmentBackend backend) {
        return TestLogs.smallConfig(backend).segmentBytes(2048).compact(true).delete(false).build();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAReaderHoldingASlice_whenTheCleanerSwapsItsSegmentOut_thenTheSliceReadsTheOldBytesUntilReleased(
            SegmentBackend backend) throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config(backend), time, 0, 0, true)) {
            for (int i = 0; i < 60; i++) {
                append(log, keyed(i, CompressionType.NONE, "k" + (i % 3), "value-" + i + "-" + "x".repeat(50)));
            }
            log.roll();
            LogReadResult held = log.read(0, 1 << 20, log.logEndOffset());
            ByteBuffer before = TestLogs.bytesOf(held.slice());
            Path replacedFile = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX) + LogSegment.DELETED_SUFFIX);

            new LogCompactor(1 << 20, time).clean(log, false, CleanerStep.Hook.NONE);
            log.deleteRetiredSegmentFiles();

            assertThat(replacedFile).as("held by the reader").exists();
            assertThat(TestLogs.bytesOf(held.slice())).isEqualTo(before);
            held.slice().release();
            log.deleteRetiredSegmentFiles();
            assertThat(replacedFile).doesNotExist();
            assertThat(log.pendingDeletionCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenReadersRacingWithRepeatedCleanings_whenTheyRead_thenEveryBatchIsValidAndHoldsTheRecordsWrittenThere(
            SegmentBackend backend) throws Exception {
        Map<Long, String> valueAt = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try (PartitionLog log = PartitionLog.open(dir, config(backend), time, 0, 0, true)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Random random = new Random(SEED + r);
                results.add(readers.submit(() -> readUntilDone(log, valueAt, done, random)));
            }
            Random random = new Random(SEED);
            LogCompactor compactor = new LogCompactor(1 << 20, time);
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < 80; i++) {
                    String value = "r" + round + "-" + i + "-" + "x".repeat(random.nextInt(40));
                    valueAt.put(log.logEndOffset(), value);
                    append(log, keyed(i, CompressionType.NONE, "key-" + random.nextInt(20), value));
                }
                log.roll();
                compactor.clean(log, round % 2 == 1, CleanerStep.Hook.NONE);
                log.deleteRetiredSegmentFiles();
            }
            done.set(true);
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).as("seed %d (%s): reads done", SEED, backend).isPositive();
            }
            log.deleteRetiredSegmentFiles();
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("every replaced file is gone")
                        .noneMatch(n -> n.endsWith(LogSegment.DELETED_SUFFIX) || n.endsWith(LogSegment.CLEANED_SUFFIX));
            }
        } finally {
            done.set(true);
            readers.shutdownNow();
        }
    }

    private static int readUntilDone(PartitionLog log, Map<Long, String> valueAt, AtomicBoolean done, Random random)
            throws Exception {
        RecordBatch view = new RecordBatch();
        int reads = 0;
        while (!done.get() && reads < 1_000_000) {
            long start = log.logStartOffset();
            long end = log.logEndOffset();
            long offset = start + (end > start ? (long) (random.nextDouble() * (end - start)) : 0);
            LogReadResult read = log.read(offset, 1 + random.nextInt(3000), end);
            try {
                if (read.offsetOutOfRange() || read.slice().isEmpty()) {
                    continue;
                }
                ByteBuffer bytes = TestLogs.bytesOf(read.slice());
                view.wrap(bytes, 0);
                assertThat(view.lastOffset()).as("seed %d: the first batch ends at or after %d", SEED, offset)
                        .isGreaterThanOrEqualTo(offset);
                for (int p = 0; p < bytes.limit(); p += view.sizeInBytes()) {
                    view.wrap(bytes, p);
                    assertThat(view.validateCompacted()).as("seed %d", SEED).isEqualTo(BatchValidation.VALID);
                    for (Record record : view.records()) {
                        assertThat(new String(record.value(), StandardCharsets.UTF_8)).as("seed %d: offset %d", SEED,
                                record.offset()).isEqualTo(valueAt.get(record.offset()));
                    }
                }
                reads++;
            } finally {
                read.slice().release();
            }
        }
        return reads;
    }
}

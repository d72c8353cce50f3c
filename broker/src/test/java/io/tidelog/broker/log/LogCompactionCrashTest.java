package io.tidelog.broker.log;

import static io.tidelog.broker.log.CompactionLogs.append;
import static io.tidelog.broker.log.CompactionLogs.keyed;
import static io.tidelog.broker.log.CompactionLogs.latestPerKey;
import static io.tidelog.broker.log.CompactionLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import io.tidelog.broker.log.CompactionLogs.Kv;
import io.tidelog.protocol.record.CompressionType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash at any step of a cleaning — while the {@code *.cleaned} file is half written, after it
 * is complete, right after the swap was committed, midway through the renames, after the swap —
 * followed by recovery: every key's latest record is there exactly once, no offset appears
 * twice, offsets increase, every record read is the one written at its offset, and a record is
 * missing only if a later record of its key exists. A second, uninterrupted cleaning then leaves
 * exactly the latest record per key. Ten seeds per run; {@code -Dtidelog.seed=N} replays one.
 */
class LogCompactionCrashTest {

    private static final long BASE_SEED = Long.getLong("tidelog.seed", System.nanoTime());
    private static final int SEEDS = Long.getLong("tidelog.seed") != null ? 1 : 10;

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();

    static Stream<Long> seeds() {
        return LongStream.range(0, SEEDS).mapToObj(i -> BASE_SEED + i);
    }

    /** Throws at the {@code occurrence}-th time {@code step} is reached. */
    private static final class CrashAt implements CleanerStep.Hook {
        final CleanerStep step;
        final int occurrence;
        int seen;
        boolean crashed;

        CrashAt(CleanerStep step, int occurrence) {
            this.step = step;
            this.occurrence = occurrence;
        }

        @Override
        public void reached(CleanerStep reached) {
            if (reached == step && ++seen == occurrence) {
                crashed = true;
                throw new IllegalStateException("simulated crash at " + step + " #" + occurrence);
            }
        }
    }

    private static LogConfig config(SegmentBackend backend) {
        // Segments of ~2 KiB with a 6 KiB segment.bytes for the cleaned output: groups hold several segments.
        return TestLogs.smallConfig(backend).segmentBytes(2048).indexIntervalBytes(128).compact(true).delete(false).build();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void givenACrashAtARandomCleaningStep_whenTheLogIsRecovered_thenNoLatestValueIsLostOrDuplicated(long seed)
            throws Exception {
        Random random = new Random(seed);
        SegmentBackend backend = SegmentBackend.values()[random.nextInt(SegmentBackend.values().length)];
        LogConfig config = config(backend);
        List<Kv> written = new ArrayList<>();
        CrashAt crash = randomCrash(random);
        String because = "seed " + seed + " (" + backend + "), crash at " + crash.step + " #" + crash.occurrence;

        PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true);
        boolean preCleaned = random.nextBoolean();
        written.addAll(writeUpdates(log, random, 120));
        if (preCleaned) {
            // A log cleaned once already: the crash hits a cleaning of clean and dirty sections.
            new LogCompactor(1 << 20, time).clean(log, false, CleanerStep.Hook.NONE);
            written.addAll(writeUpdates(log, random, 80));
        }
        log.roll();
        // Bigger output segments than input ones so groups of several segments form.
        log.updateConfig(config.toBuilder().segmentBytes(6 * 1024).build());
        long activeBase = log.activeSegmentBaseOffset();
        try {
            new LogCompactor(1 << 20, time).clean(log, false, crash);
        } catch (IllegalStateException e) {
            assertThat(e).as(because).hasMessageStartingWith("simulated crash");
        }
        log.closeWithoutFlush();
        because += crash.crashed ? "" : " (cleaning finished first)";

        long recoveryPoint = random.nextInt((int) activeBase + 1);
        try (PartitionLog recovered = PartitionLog.open(dir, config, time, recoveryPoint, 0, false)) {
            assertSurvivors(readAll(recovered, because), written, because);
            assertThat(recovered.logEndOffset()).as(because).isEqualTo(written.get(written.size() - 1).offset() + 1);
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).as(because)
                        .noneMatch(n -> n.endsWith(LogSegment.CLEANED_SUFFIX) || n.endsWith(LogSegment.DELETED_SUFFIX));
            }
            assertThat(recovered.cleanerCheckpoint().swapInProgress()).as(because).isFalse();

            new LogCompactor(1 << 20, time).clean(recovered, true, CleanerStep.Hook.NONE);

            assertThat(readAll(recovered, because + ", then cleaned again")).as(because)
                    .containsExactlyElementsOf(latestPerKey(written));
            List<Kv> next = append(recovered, keyed(9_999, CompressionType.NONE, "key-0", "after"));
            assertThat(next.get(0).offset()).as(because + ": offsets continue")
                    .isEqualTo(written.get(written.size() - 1).offset() + 1);
        }
    }

    private static CrashAt randomCrash(Random random) {
        CleanerStep[] steps = CleanerStep.values();
        CleanerStep step = steps[random.nextInt(steps.length)];
        int occurrence = switch (step) {
            case CLEANED_BATCH_WRITTEN -> 1 + random.nextInt(40);
            case REPLACED_SEGMENT_RENAMED -> 1 + random.nextInt(6);
            case CLEANED_SEGMENT_WRITTEN, SWAP_COMMITTED, CLEANED_SEGMENT_RENAMED, SWAP_FINISHED -> 1 + random.nextInt(3);
            default -> 1;
        };
        return new CrashAt(step, occurrence);
    }

    private static List<Kv> writeUpdates(PartitionLog log, Random random, int batches) {
        List<Kv> written = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            int records = 1 + random.nextInt(3);
            String[] kvs = new String[records * 2];
            for (int r = 0; r < records; r++) {
                kvs[2 * r] = "key-" + random.nextInt(25);
                boolean tombstone = random.nextInt(10) == 0;
                kvs[2 * r + 1] = tombstone ? null : "v" + random.nextInt(1_000_000) + "-" + "x".repeat(random.nextInt(60));
            }
            CompressionType codec = random.nextInt(4) == 0 ? CompressionType.GZIP : CompressionType.NONE;
            written.addAll(append(log, keyed(1_000 + i, codec, kvs)));
        }
        return written;
    }

    /**
     * Every record read is the one written at its offset; each key's latest record is present; a
     * written record is missing only if a later record of its key exists.
     */
    private static void assertSurvivors(List<Kv> read, List<Kv> written, String because) {
        Map<Long, Kv> byOffset = new HashMap<>();
        written.forEach(kv -> byOffset.put(kv.offset(), kv));
        for (Kv kv : read) {
            assertThat(kv).as(because + ": the record at offset " + kv.offset()).isEqualTo(byOffset.get(kv.offset()));
        }
        assertThat(read).as(because + ": every key's latest record").containsAll(latestPerKey(written));
        Map<String, Long> latestOffset = new HashMap<>();
        latestPerKey(written).forEach(kv -> latestOffset.put(kv.key(), kv.offset()));
        List<Long> readOffsets = read.stream().map(Kv::offset).toList();
        for (Kv kv : written) {
            if (!readOffsets.contains(kv.offset())) {
                assertThat(kv.offset()).as(because + ": a missing record was superseded: " + kv)
                        .isLessThan(latestOffset.get(kv.key()));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void givenACommittedSwapWhoseRenamesWereNotDone_whenReopened_thenRecoveryFinishesItFromTheCheckpoint(long seed)
            throws Exception {
        Random random = new Random(seed);
        LogConfig config = config(SegmentBackend.DEFAULT);
        PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true);
        List<Kv> written = writeUpdates(log, random, 100);
        log.roll();
        log.updateConfig(config.toBuilder().segmentBytes(6 * 1024).build());
        CrashAt crash = new CrashAt(CleanerStep.SWAP_COMMITTED, 1);
        assertThatThrownBy(() -> new LogCompactor(1 << 20, time).clean(log, false, crash))
                .hasMessageContaining("simulated crash");
        CleanerCheckpoint committed = log.cleanerCheckpoint();
        log.closeWithoutFlush();
        assertThat(committed.swapInProgress()).isTrue();
        assertThat(dir.resolve(LogSegment.fileName(committed.swapBase(), LogSegment.LOG_SUFFIX)
                + LogSegment.CLEANED_SUFFIX)).exists();

        try (PartitionLog recovered = PartitionLog.open(dir, config, time, 0, 0, false)) {
            List<Kv> read = readAll(recovered, "seed " + seed);
            assertSurvivors(read, written, "seed " + seed);
            assertThat(read.size()).as("seed %d: the committed group was swapped in", seed).isLessThan(written.size());
            assertThat(recovered.segmentBaseOffsets()).doesNotContain(committed.swapBase() + 1);
        }
    }
}

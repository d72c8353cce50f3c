package io.tidelog.broker.log;

import static io.tidelog.broker.log.CompactionLogs.append;
import static io.tidelog.broker.log.CompactionLogs.keyed;
import static io.tidelog.broker.log.CompactionLogs.latestPerKey;
import static io.tidelog.broker.log.CompactionLogs.readAll;
import static io.tidelog.broker.log.CompactionLogs.readBatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import io.tidelog.broker.log.CompactionLogs.Kv;
import io.tidelog.broker.log.CompactionLogs.ReadBatch;
import io.tidelog.protocol.record.CompressionType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cleaner on real segment files: after one cleaning a full read returns exactly the latest
 * record of each key in offset order with its original offset, every batch still validates, the
 * active segment is untouched, tombstones go only after delete.retention.ms, compressed batches
 * keep their codec, and an idempotent producer's last batch survives even when emptied.
 */
class LogCompactionTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());
    private static final long DELETE_RETENTION_MS = 10_000;

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();

    private LogConfig config(SegmentBackend backend) {
        return TestLogs.smallConfig(backend).segmentBytes(4096).indexIntervalBytes(256).compact(true).delete(false)
                .deleteRetentionMs(DELETE_RETENTION_MS).build();
    }

    private LogCompactor compactor() {
        return new LogCompactor(1 << 20, time);
    }

    /** Random updates of 30 keys over several segments; returns every record written. */
    private List<Kv> writeUpdates(PartitionLog log, Random random, int batches, CompressionType codec) {
        List<Kv> written = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            int records = 1 + random.nextInt(4);
            String[] kvs = new String[records * 2];
            for (int r = 0; r < records; r++) {
                kvs[2 * r] = "key-" + random.nextInt(30);
                kvs[2 * r + 1] = "value-" + i + "-" + r + "-" + "x".repeat(random.nextInt(40));
            }
            written.addAll(append(log, keyed(1_000 + i, codec, kvs)));
        }
        return written;
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenManyUpdatesPerKeyOverSeveralSegments_whenCleanedOnce_thenAFullReadReturnsTheLatestValuePerKeyWithItsOffset(
            SegmentBackend backend) throws Exception {
        String because = "seed " + SEED + " (" + backend + ")";
        try (PartitionLog log = PartitionLog.open(dir, config(backend), time, 0, 0, true)) {
            List<Kv> written = writeUpdates(log, new Random(SEED), 300, CompressionType.NONE);
            log.roll();
            List<Kv> active = append(log, keyed(99_000, CompressionType.NONE, "key-1", "in-the-active-segment"));
            written.addAll(active);
            long activeBase = log.activeSegmentBaseOffset();
            int segmentsBefore = log.segmentCount();
            long sizeBefore = log.sizeInBytes();
            byte[] activeBytes = Files.readAllBytes(dir.resolve(LogSegment.fileName(activeBase, LogSegment.LOG_SUFFIX)));

            LogCompactor.Result result = compactor().clean(log, false, CleanerStep.Hook.NONE);

            assertThat(result).as(because).isNotNull();
            assertThat(result.cleanedTo()).as(because).isEqualTo(activeBase);
            List<Kv> belowActive = written.stream().filter(kv -> kv.offset() < activeBase).toList();
            List<Kv> expected = new ArrayList<>(latestPerKey(belowActive));
            expected.addAll(active);
            assertThat(readAll(log, because)).as(because).containsExactlyElementsOf(expected);
            assertThat(log.sizeInBytes()).as(because).isLessThan(sizeBefore);
            // Groups are formed from the segments' sizes before cleaning (as Kafka does), so the
            // small cleaned segments merge at the next cleaning.
            compactor().clean(log, true, CleanerStep.Hook.NONE);
            assertThat(log.segmentCount()).as(because).isLessThan(segmentsBefore);
            assertThat(readAll(log, because + ", second cleaning")).containsExactlyElementsOf(expected);
            assertThat(log.logEndOffset()).as(because).isEqualTo(written.get(written.size() - 1).offset() + 1);
            assertThat(log.activeSegmentBaseOffset()).isEqualTo(activeBase);
            assertThat(Files.readAllBytes(dir.resolve(LogSegment.fileName(activeBase, LogSegment.LOG_SUFFIX))))
                    .as("the active segment is untouched").isEqualTo(activeBytes);
            assertThat(log.cleanerCheckpoint().firstDirtyOffset()).isEqualTo(activeBase);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenACleanedLog_whenReopenedCleanlyOrAfterACrash_thenTheGapsAreAcceptedAndNothingIsLost(SegmentBackend backend)
            throws Exception {
        String because = "seed " + SEED + " (" + backend + ")";
        List<Kv> expected;
        PartitionLog log = PartitionLog.open(dir, config(backend), time, 0, 0, true);
        try {
            writeUpdates(log, new Random(SEED), 200, CompressionType.NONE);
            log.roll();
            compactor().clean(log, false, CleanerStep.Hook.NONE);
            expected = readAll(log, because);
        } finally {
            log.close();
        }
        try (PartitionLog reopened = PartitionLog.open(dir, config(backend), time, 0, 0, true)) {
            assertThat(readAll(reopened, because + ", clean restart")).containsExactlyElementsOf(expected);
            reopened.closeWithoutFlush();
        }
        try (PartitionLog recovered = PartitionLog.open(dir, config(backend), time, 0, 0, false)) {
            assertThat(readAll(recovered, because + ", recovery from offset 0")).containsExactlyElementsOf(expected);
            List<Kv> next = append(recovered, keyed(5_000, CompressionType.NONE, "key-0", "after-recovery"));
            assertThat(next.get(0).offset()).as("offsets continue").isEqualTo(expected.get(expected.size() - 1).offset() + 1);
        }
        try (PartitionLog asDeleteTopic = PartitionLog.open(dir, config(backend).toBuilder().compact(false).delete(true)
                .build(), time, 0, 0, false)) {
            assertThat(readAll(asDeleteTopic, because + ", policy changed to delete").size())
                    .as("gaps below the cleaner's checkpoint survive a policy change").isEqualTo(expected.size() + 1);
        }
    }

    @Test
    void givenATombstone_whenCleaned_thenItStaysForDeleteRetentionMsAfterTheCleanerPassedItAndThenGoes() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config(SegmentBackend.DEFAULT), time, 0, 0, true)) {
            append(log, keyed(1, CompressionType.NONE, "gone", "v1", "kept", "v1"));
            Kv tombstone = append(log, keyed(2, CompressionType.NONE, "gone", null)).get(0);
            log.roll();
            compactor().clean(log, false, CleanerStep.Hook.NONE);
            assertThat(readAll(log, "first cleaning")).extracting(Kv::key, Kv::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("kept", "v1"),
                            org.assertj.core.groups.Tuple.tuple("gone", null));

            time.sleep(DELETE_RETENTION_MS - 1);
            append(log, keyed(3, CompressionType.NONE, "other", "v"));
            log.roll();
            compactor().clean(log, false, CleanerStep.Hook.NONE);
            assertThat(readAll(log, "just before delete.retention.ms")).contains(tombstone);

            time.sleep(1);
            append(log, keyed(4, CompressionType.NONE, "other2", "v"));
            log.roll();
            compactor().clean(log, false, CleanerStep.Hook.NONE);
            assertThat(readAll(log, "delete.retention.ms after the first cleaning")).extracting(Kv::key)
                    .containsExactly("kept", "other", "other2");
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void givenCompressedBatches_whenCleaned_thenTheLatestValuesSurviveInBatchesOfTheSameCodec(CompressionType codec)
            throws Exception {
        String because = "seed " + SEED + " (" + codec + ")";
        try (PartitionLog log = PartitionLog.open(dir, config(SegmentBackend.DEFAULT), time, 0, 0, true)) {
            List<Kv> written = writeUpdates(log, new Random(SEED), 150, codec);
            log.roll();

            compactor().clean(log, false, CleanerStep.Hook.NONE);

            List<ReadBatch> batches = readBatches(log, because);
            assertThat(batches.stream().flatMap(b -> b.records().stream()).toList()).as(because)
                    .containsExactlyElementsOf(latestPerKey(written));
            assertThat(batches).as(because + ": every batch keeps its codec")
                    .allMatch(b -> b.codec() == codec.codec());
        }
    }

    @Test
    void givenAnIdempotentProducersLastBatchWhollySuperseded_whenCleaned_thenAnEmptyBatchKeepsItsOffsetsAndSequence()
            throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config(SegmentBackend.DEFAULT), time, 0, 0, true)) {
            append(log, keyed(1, CompressionType.NONE, 7, (short) 0, 0, "a", "1", "b", "1"));
            List<Kv> last = append(log, keyed(2, CompressionType.NONE, 7, (short) 0, 2, "a", "2", "b", "2"));
            append(log, keyed(3, CompressionType.NONE, "a", "3", "b", "3"));
            log.roll();

            compactor().clean(log, false, CleanerStep.Hook.NONE);

            List<ReadBatch> batches = readBatches(log, "producer state");
            assertThat(batches).hasSize(2);
            assertThat(batches.get(0).producerId()).isEqualTo(7);
            assertThat(batches.get(0).recordsCount()).isZero();
            assertThat(batches.get(0).baseOffset()).isEqualTo(last.get(0).offset());
            assertThat(batches.get(0).lastOffset()).isEqualTo(last.get(1).offset());
            List<Integer> lastSequences = new ArrayList<>();
            log.forEachBatch(0, b -> lastSequences.add(b.producerId() == 7 ? b.lastSequence() : -2));
            assertThat(lastSequences).containsExactly(3, -2);
        }
    }

    @Test
    void givenACompactedTopic_whenARecordWithoutAKeyIsProduced_thenTheBatchIsRefusedAsInvalidRecord() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config(SegmentBackend.DEFAULT), time, 0, 0, true)) {
            LogAppendResult plain = log.append(keyed(1, CompressionType.NONE, "k", "v", null, "no key"), 0);
            LogAppendResult compressed = log.append(keyed(1, CompressionType.LZ4, "k", "v", null, "no key"), 0);

            assertThat(plain.error()).isEqualTo(AppendError.INVALID_RECORD);
            assertThat(plain.message()).contains("Compacted topic cannot accept message without key");
            assertThat(compressed.error()).isEqualTo(AppendError.INVALID_RECORD);
            assertThat(log.logEndOffset()).isZero();
        }
        try (PartitionLog deleteLog = PartitionLog.open(dir.resolve("other"), TestLogs.smallConfig(SegmentBackend.DEFAULT)
                .build(), time, 0, 0, true)) {
            throw new AssertionError("unreachable: the directory does not exist");
        } catch (java.io.IOException expected) {
            // a delete-policy log is covered below with its own directory
        }
        Path plainDir = Files.createDirectory(dir.resolve("plain-0"));
        try (PartitionLog deleteLog = PartitionLog.open(plainDir, TestLogs.smallConfig(SegmentBackend.DEFAULT).build(),
                time, 0, 0, true)) {
            assertThat(deleteLog.append(keyed(1, CompressionType.NONE, null, "no key"), 0).isSuccess())
                    .as("a delete-policy topic takes keyless records").isTrue();
        }
    }

    @Test
    void givenCompactOnly_whenRetentionRuns_thenNothingIsDeletedByAgeButCompactDeleteStillDeletes() throws Exception {
        LogConfig compactOnly = config(SegmentBackend.DEFAULT).toBuilder().retentionMs(1_000).build();
        try (PartitionLog log = PartitionLog.open(dir, compactOnly, time, 0, 0, true)) {
            writeUpdates(log, new Random(SEED), 100, CompressionType.NONE);
            log.roll();
            time.sleep(10_000);
            assertThat(log.deleteRetentionBreachedSegments()).as("compact alone keeps old segments").isZero();

            log.updateConfig(compactOnly.toBuilder().delete(true).build());
            assertThat(log.deleteRetentionBreachedSegments()).as("compact,delete applies retention.ms").isPositive();
            assertThat(log.logStartOffset()).isEqualTo(log.activeSegmentBaseOffset());
        }
    }

    @Test
    void givenRecordsYoungerThanMinCompactionLag_whenCleaned_thenTheyStayUntilTheyAreOldEnough() throws Exception {
        LogConfig lagging = config(SegmentBackend.DEFAULT).toBuilder().minCompactionLagMs(60_000).build();
        try (PartitionLog log = PartitionLog.open(dir, lagging, time, 0, 0, true)) {
            long now = time.milliseconds();
            List<Kv> old = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                old.addAll(append(log, keyed(now - 120_000, CompressionType.NONE, "key-" + (i % 5), "old-" + i)));
            }
            log.roll();
            long youngFrom = log.logEndOffset();
            List<Kv> young = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                young.addAll(append(log, keyed(now, CompressionType.NONE, "key-" + (i % 5), "young-" + i)));
            }
            log.roll();

            LogCompactor.Result first = compactor().clean(log, false, CleanerStep.Hook.NONE);

            assertThat(first.cleanedTo()).as("stops at the first segment with a young record").isLessThanOrEqualTo(youngFrom);
            assertThat(readAll(log, "young records kept")).containsAll(young);

            time.sleep(60_000);
            compactor().clean(log, false, CleanerStep.Hook.NONE);
            List<Kv> all = new ArrayList<>(old);
            all.addAll(young);
            assertThat(readAll(log, "after min.compaction.lag.ms")).containsExactlyElementsOf(latestPerKey(all));
        }
    }

    @Test
    void givenACleanedLeaderLog_whenAFollowerCopiesItsBatches_thenTheGapsAndCompactedBatchesAreAcceptedUnchanged()
            throws Exception {
        Path leaderDir = Files.createDirectory(dir.resolve("leader-0"));
        Path followerDir = Files.createDirectory(dir.resolve("follower-0"));
        try (PartitionLog leader = PartitionLog.open(leaderDir, config(SegmentBackend.DEFAULT), time, 0, 0, true);
             PartitionLog follower = PartitionLog.open(followerDir, config(SegmentBackend.DEFAULT), time, 0, 0, true)) {
            writeUpdates(leader, new Random(SEED), 200, CompressionType.NONE);
            leader.roll();
            compactor().clean(leader, false, CleanerStep.Hook.NONE);

            for (long offset = 0; offset < leader.logEndOffset(); ) {
                LogReadResult read = leader.read(offset, 1 << 20, leader.logEndOffset());
                java.nio.ByteBuffer bytes;
                try {
                    bytes = TestLogs.bytesOf(read.slice());
                } finally {
                    read.slice().release();
                }
                LogAppendResult copied = follower.appendAsFollower(bytes);
                assertThat(copied.isSuccess()).as("seed %d: %s", SEED, copied.message()).isTrue();
                offset = copied.lastOffset() + 1;
            }

            assertThat(readAll(follower, "follower")).containsExactlyElementsOf(readAll(leader, "leader"));
        }
    }

    @Test
    void givenACleanedLog_whenTruncatedIntoACleanedSegment_thenItBecomesActiveAndAppendsContinue() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config(SegmentBackend.DEFAULT), time, 0, 0, true)) {
            writeUpdates(log, new Random(SEED), 200, CompressionType.NONE);
            log.roll();
            compactor().clean(log, false, CleanerStep.Hook.NONE);
            List<Kv> cleaned = readAll(log, "seed " + SEED);
            List<ReadBatch> batches = readBatches(log, "seed " + SEED);
            long cut = batches.get(batches.size() / 2).baseOffset();

            log.truncateTo(cut);

            List<Kv> kept = readAll(log, "seed " + SEED + " after truncation");
            assertThat(kept).containsExactlyElementsOf(cleaned.stream().filter(kv -> kv.offset() < cut).toList());
            List<Kv> next = append(log, keyed(7, CompressionType.NONE, "key-new", "after-truncation"));
            assertThat(next.get(0).offset()).isEqualTo(log.logEndOffset() - 1);
            assertThat(log.cleanerCheckpoint().firstDirtyOffset()).as("what follows the cut is dirty again")
                    .isLessThanOrEqualTo(cut);
        }
    }
}

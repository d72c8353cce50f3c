package io.tidelog.broker.log;

import static io.tidelog.broker.TestLogs.batch;
import static io.tidelog.broker.TestLogs.batchesIn;
import static io.tidelog.broker.TestLogs.bytesOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PartitionLogTruncationRetentionTest {

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();
    private PartitionLog log;

    @AfterEach
    void close() throws Exception {
        if (log != null) {
            log.close();
        }
    }

    /** 30 batches of 2 records (offsets 0..59) over 1 KiB segments; epoch 1 for 0..29, epoch 2 from 30. */
    private void fill(SegmentBackend backend, LogConfig.Builder config) throws Exception {
        log = PartitionLog.open(dir, config.backend(backend).segmentBytes(1024).build(), time, 0, 0, true);
        for (int i = 0; i < 30; i++) {
            log.append(batch(2, 150, time.milliseconds()), i < 15 ? 1 : 2);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenSeveralSegments_whenTruncatingIntoAnOlderOne_thenLaterSegmentsGoAndAppendsContinueFromTheCut(SegmentBackend backend) throws Exception {
        fill(backend, TestLogs.smallConfig(backend));
        int segmentsBefore = log.segmentCount();

        assertThat(log.truncateTo(10)).isTrue();

        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(log.segmentCount()).isLessThan(segmentsBefore);
        assertThat(log.segmentBaseOffsets()).allSatisfy(base -> assertThat(base).isLessThanOrEqualTo(10L));
        assertThat(log.leaderEpochCache().entries()).containsExactly(new LeaderEpochCache.EpochEntry(1, 0));
        assertThat(log.append(batch(1, 10, 1), 3).firstOffset()).isEqualTo(10);
        assertThat(log.leaderEpochCache().endOffsetFor(1, log.logEndOffset())).isEqualTo(new EpochEndOffset(1, 10));
        LogReadResult read = log.read(8, 1 << 20, Long.MAX_VALUE);
        try {
            assertThat(batchesIn(bytesOf(read.slice()))).extracting(b -> b[0]).contains(8L, 10L);
        } finally {
            read.slice().release();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAnOffsetInsideABatch_whenTruncating_thenTheWholeBatchContainingItIsRemoved(SegmentBackend backend) throws Exception {
        fill(backend, TestLogs.smallConfig(backend));

        log.truncateTo(41);

        assertThat(log.logEndOffset()).isEqualTo(40);
        assertThat(log.leaderEpochCache().endOffsetFor(2, log.logEndOffset())).isEqualTo(new EpochEndOffset(2, 40));
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenATruncatedLog_whenReopenedAfterACrash_thenTheRemovedBatchesDoNotComeBack(SegmentBackend backend) throws Exception {
        fill(backend, TestLogs.smallConfig(backend));
        LogConfig config = log.config();
        log.truncateTo(55);
        log.closeWithoutFlush();

        log = PartitionLog.open(dir, config, time, 0, 0, false);

        assertThat(log.logEndOffset()).isEqualTo(54);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAnOffsetBeyondTheEnd_whenTruncating_thenNothingChanges(SegmentBackend backend) throws Exception {
        fill(backend, TestLogs.smallConfig(backend));

        assertThat(log.truncateTo(60)).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(60);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenDeleteRecords_whenAdvancingTheLogStartOffset_thenSegmentsWhollyBelowGoButNeverPastTheEnd(SegmentBackend backend) throws Exception {
        fill(backend, TestLogs.smallConfig(backend));
        long secondSegment = log.segmentBaseOffsets().get(1);
        long thirdSegment = log.segmentBaseOffsets().get(2);

        assertThat(log.advanceLogStartOffset(61)).isFalse();
        assertThat(log.advanceLogStartOffset(thirdSegment + 1)).isTrue();

        assertThat(log.logStartOffset()).isEqualTo(thirdSegment + 1);
        assertThat(log.segmentBaseOffsets()).first().isEqualTo(thirdSegment);
        assertThat(log.segmentBaseOffsets()).doesNotContain(secondSegment);
        assertThat(log.read(thirdSegment, 100, Long.MAX_VALUE).offsetOutOfRange()).isTrue();
        assertThat(log.leaderEpochCache().entries().get(0).startOffset()).isEqualTo(thirdSegment + 1);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenRetentionMs_whenSegmentsAreOlder_thenTheyAreDeletedButNeverTheActiveOne(SegmentBackend backend) throws Exception {
        fill(backend, TestLogs.smallConfig(backend).retentionMs(60_000));
        long lastBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
        assertThat(log.deleteRetentionBreachedSegments()).as("nothing is old yet").isZero();

        time.sleep(60_010); // records carry timestamps up to t0 + 1
        int deleted = log.deleteRetentionBreachedSegments();

        assertThat(deleted).isPositive();
        assertThat(log.segmentBaseOffsets()).containsExactly(lastBase);
        assertThat(log.logStartOffset()).isEqualTo(lastBase);
        assertThat(log.logEndOffset()).isEqualTo(60);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenRetentionBytes_whenTheLogIsLarger_thenOldestSegmentsGoWhileTheRestStaysAtLeastThatLarge(SegmentBackend backend) throws Exception {
        fill(backend, TestLogs.smallConfig(backend).retentionBytes(2500));

        log.deleteRetentionBreachedSegments();

        assertThat(log.sizeInBytes()).as("like Kafka, whole segments go only while the rest stays at or above the limit")
                .isGreaterThanOrEqualTo(2500);
        assertThat(log.sizeInBytes() - log.segments().get(0).size()).as("deleting one more would go below the limit")
                .isLessThan(2500);
        assertThat(log.logStartOffset()).isEqualTo(log.segmentBaseOffsets().get(0));
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenRetainedSegmentFiles_whenTheDeleteDelayPasses_thenTheyAreRemovedFromDisk(SegmentBackend backend) throws Exception {
        fill(backend, TestLogs.smallConfig(backend).retentionMs(1000).fileDeleteDelayMs(5000));
        time.sleep(1010);
        Path first = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        log.deleteRetentionBreachedSegments();

        assertThat(first).doesNotExist();
        assertThat(first.resolveSibling(first.getFileName() + LogSegment.DELETED_SUFFIX)).exists();
        assertThat(log.deleteRetiredSegmentFiles()).as("the delay has not passed").isPositive();

        time.sleep(5000);
        assertThat(log.deleteRetiredSegmentFiles()).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(LogSegment.DELETED_SUFFIX));
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenALogStartOffsetBelowTheTruncationPoint_whenTruncatingBelowIt_thenTheLogRestartsThere(SegmentBackend backend) throws Exception {
        fill(backend, TestLogs.smallConfig(backend));
        log.advanceLogStartOffset(30);

        log.truncateTo(20);

        assertThat(log.logStartOffset()).isEqualTo(20);
        assertThat(log.logEndOffset()).isEqualTo(20);
        assertThat(log.segmentBaseOffsets()).containsExactly(20L);
        assertThat(log.append(batch(1, 1, 1), 5).firstOffset()).isEqualTo(20);
    }
}

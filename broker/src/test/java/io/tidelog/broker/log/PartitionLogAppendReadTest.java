package io.tidelog.broker.log;

import static io.tidelog.broker.TestLogs.batch;
import static io.tidelog.broker.TestLogs.batchesIn;
import static io.tidelog.broker.TestLogs.bytesOf;
import static io.tidelog.broker.TestLogs.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.Record;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PartitionLogAppendReadTest {

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();
    private PartitionLog log;

    private PartitionLog open(LogConfig config) throws Exception {
        log = PartitionLog.open(dir, config, time, 0, 0, true);
        return log;
    }

    @AfterEach
    void close() throws Exception {
        if (log != null) {
            log.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAnEmptyLog_whenAppendingTwoBatches_thenOffsetsAreAssignedFromZeroAndTheEpochIsStamped(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());

        LogAppendResult first = log.append(batch(3, 10, 1000), 7);
        LogAppendResult second = log.append(batch(2, 10, 2000), 7);

        assertThat(first.error()).isEqualTo(AppendError.NONE);
        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(first.maxTimestamp()).isEqualTo(1002);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        assertThat(log.logEndOffset()).isEqualTo(5);
        LogReadResult read = log.read(0, 1 << 20, log.logEndOffset());
        try {
            assertThat(batchesIn(bytesOf(read.slice()))).extracting(b -> b[0] + ".." + b[1] + "@" + b[2])
                    .containsExactly("0..2@7", "3..4@7");
        } finally {
            read.slice().release();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenThreeBatchesWhereTheSecondIsCorrupt_whenAppending_thenNothingIsWrittenAndCorruptMessageNamesIt(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());
        log.append(batch(1, 10, 1000), 0);
        ByteBuffer bad = batch(2, 50, 1000);
        bad.put(RecordBatchLayout.RECORDS_OFFSET + 5, (byte) (bad.get(RecordBatchLayout.RECORDS_OFFSET + 5) ^ 1));

        LogAppendResult result = log.append(concat(batch(1, 10, 1000), bad, batch(1, 10, 1000)), 0);

        assertThat(result.error()).isEqualTo(AppendError.CORRUPT_MESSAGE);
        assertThat(result.failedBatch()).isEqualTo(1);
        assertThat(result.validation()).isEqualTo(BatchValidation.CRC_MISMATCH);
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(log.read(1, 1 << 20, Long.MAX_VALUE).slice().isEmpty()).isTrue();
        assertThat(log.append(batch(1, 10, 1000), 0).firstOffset()).as("the next append continues at 1").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenABatchOverMaxMessageBytes_whenAppending_thenMessageTooLargeAndNothingWritten(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).maxMessageBytes(500).build());

        LogAppendResult result = log.append(concat(batch(1, 10, 1), batch(1, 600, 1)), 0);

        assertThat(result.error()).isEqualTo(AppendError.MESSAGE_TOO_LARGE);
        assertThat(result.message()).contains("max.message.bytes");
        assertThat(log.logEndOffset()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenARecordCountThatDisagreesWithLastOffsetDelta_whenAppending_thenInvalidRecord(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());
        ByteBuffer bad = batch(3, 10, 1);
        RecordBatch view = new RecordBatch().wrap(bad, 0);
        bad.putInt(RecordBatchLayout.RECORDS_COUNT_OFFSET, 2);
        bad.putInt(RecordBatchLayout.CRC_OFFSET, (int) view.computeCrc());

        LogAppendResult result = log.append(bad, 0);

        assertThat(result.error()).isEqualTo(AppendError.INVALID_RECORD);
        assertThat(result.validation()).isEqualTo(BatchValidation.RECORD_COUNT_MISMATCH);
        assertThat(log.logEndOffset()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAFetchOffsetInsideABatch_whenReading_thenTheWholeBatchContainingItIsReturned(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());
        for (int i = 0; i < 40; i++) {
            log.append(batch(5, 100, 1000 + i), 1);
        }

        LogReadResult read = log.read(123, 1, log.logEndOffset());

        try {
            List<long[]> batches = batchesIn(bytesOf(read.slice()));
            assertThat(batches).as("at least one batch even though maxBytes is 1").hasSize(1);
            assertThat(batches.get(0)[0]).isEqualTo(120);
            assertThat(batches.get(0)[1]).isEqualTo(124);
        } finally {
            read.slice().release();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAnUpperBound_whenReading_thenNoBatchReachingItIsReturned(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());
        for (int i = 0; i < 10; i++) {
            log.append(batch(2, 10, 1000), 1);
        }

        LogReadResult read = log.read(0, 1 << 20, 7);
        LogReadResult atBound = log.read(6, 1 << 20, 7);

        try {
            assertThat(batchesIn(bytesOf(read.slice()))).extracting(b -> b[1]).containsExactly(1L, 3L, 5L);
            assertThat(atBound.slice().isEmpty()).as("batch 6..7 reaches the bound").isTrue();
            assertThat(atBound.offsetOutOfRange()).isFalse();
        } finally {
            read.slice().release();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenMaxBytes_whenReading_thenBatchesStopBeforeExceedingIt(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());
        int size = TestLogs.sizeOf(batch(1, 100, 1));
        for (int i = 0; i < 10; i++) {
            log.append(batch(1, 100, 1), 1);
        }

        LogReadResult read = log.read(0, size * 3 + size / 2, Long.MAX_VALUE);

        try {
            assertThat(read.slice().sizeInBytes()).isEqualTo(size * 3);
        } finally {
            read.slice().release();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenFetchOffsetsOutsideTheLog_whenReading_thenOffsetOutOfRange(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());
        log.append(batch(5, 10, 1), 1);
        log.advanceLogStartOffset(2);

        assertThat(log.read(1, 100, Long.MAX_VALUE).offsetOutOfRange()).isTrue();
        assertThat(log.read(6, 100, Long.MAX_VALUE).offsetOutOfRange()).isTrue();
        assertThat(log.read(5, 100, Long.MAX_VALUE).offsetOutOfRange()).as("LEO itself is in range").isFalse();
        assertThat(log.read(5, 100, Long.MAX_VALUE).slice().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenFullSegments_whenAppending_thenTheLogRollsAndSealedFilesAreTrimmedToTheirLogicalSize(SegmentBackend backend) throws Exception {
        LogConfig config = TestLogs.smallConfig(backend).segmentBytes(4096).build();
        open(config);
        for (int i = 0; i < 30; i++) {
            assertThat(log.append(batch(2, 200, 1000 + i), 0).isSuccess()).isTrue();
        }

        List<LogSegment> segments = log.segments();
        assertThat(segments.size()).isGreaterThan(3);
        for (LogSegment segment : segments.subList(0, segments.size() - 1)) {
            assertThat(Files.size(segment.logPath())).as(segment.toString()).isEqualTo(segment.size());
            assertThat(segment.size()).isLessThanOrEqualTo(4096);
        }
        LogSegment active = segments.get(segments.size() - 1);
        assertThat(Files.size(active.logPath())).as("the active segment is preallocated").isEqualTo(4096);
        for (int i = 1; i < segments.size(); i++) {
            assertThat(segments.get(i).baseOffset()).isEqualTo(segments.get(i - 1).nextOffset());
        }
        assertThat(readAllOffsets()).hasSize(60);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenSegmentMsPassed_whenAppending_thenTheLogRollsByTime(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).segmentMs(1000).build());
        log.append(batch(1, 10, 1), 0);
        time.sleep(999);
        log.append(batch(1, 10, 1), 0);
        assertThat(log.segmentCount()).isEqualTo(1);

        time.sleep(1);
        log.append(batch(1, 10, 1), 0);

        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenACleanClose_whenReopening_thenAllBatchesAreThereAndAppendsContinue(SegmentBackend backend) throws Exception {
        LogConfig config = TestLogs.smallConfig(backend).segmentBytes(2048).build();
        open(config);
        for (int i = 0; i < 25; i++) {
            log.append(batch(3, 50, 1000 + i), 4);
        }
        List<Long> before = readAllOffsets();
        log.close();
        assertThat(Files.size(dir.resolve(LogSegment.fileName(log.segmentBaseOffsets().get(log.segmentCount() - 1),
                LogSegment.LOG_SUFFIX)))).as("the active segment is trimmed on close").isLessThan(2048);

        log = PartitionLog.open(dir, config, time, 0, 0, true);

        assertThat(log.logEndOffset()).isEqualTo(75);
        assertThat(readAllOffsets()).isEqualTo(before);
        assertThat(log.append(batch(1, 10, 1), 4).firstOffset()).isEqualTo(75);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new LeaderEpochCache.EpochEntry(4, 0));
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenBatchesWithTimestamps_whenSearchingByTimestamp_thenTheFirstRecordAtOrAfterItIsFound(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).segmentBytes(2048).build());
        for (int i = 0; i < 50; i++) {
            log.append(batch(2, 100, 10_000 + i * 10L), 0); // records at t and t+1
        }

        assertThat(log.offsetForTimestamp(10_000)).contains(new TimestampOffset(10_000, 0));
        assertThat(log.offsetForTimestamp(10_001)).contains(new TimestampOffset(10_001, 1));
        assertThat(log.offsetForTimestamp(10_002)).contains(new TimestampOffset(10_010, 2));
        assertThat(log.offsetForTimestamp(10_255)).contains(new TimestampOffset(10_260, 52));
        assertThat(log.offsetForTimestamp(10_491)).contains(new TimestampOffset(10_491, 99));
        assertThat(log.offsetForTimestamp(10_492)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAFollower_whenAppendingTheLeadersBatches_thenOffsetsAndEpochsAreKeptAndGapsRejected(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());
        ByteBuffer leaderBatch = batch(3, 10, 1);
        RecordBatch view = new RecordBatch().wrap(leaderBatch, 0);
        view.setPartitionLeaderEpoch(5);
        ByteBuffer gapBatch = batch(1, 10, 1);
        new RecordBatch().wrap(gapBatch, 0).setBaseOffset(10);

        LogAppendResult ok = log.appendAsFollower(leaderBatch);
        LogAppendResult gap = log.appendAsFollower(gapBatch);

        assertThat(ok.lastOffset()).isEqualTo(2);
        assertThat(gap.error()).isEqualTo(AppendError.NON_CONTIGUOUS_OFFSET);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new LeaderEpochCache.EpochEntry(5, 0));
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenSeveralSegments_whenVisitingBatchesFromAnOffset_thenEveryBatchHeaderFromThereIsVisitedInOrder(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).segmentBytes(1024).build());
        for (int i = 0; i < 30; i++) {
            log.append(new io.tidelog.protocol.record.RecordBatchBuilder().producer(77, (short) 1, i * 2)
                    .append(1, null, new byte[100]).append(2, null, new byte[100]).build(), 0);
        }
        List<Integer> sequences = new ArrayList<>();

        log.forEachBatch(21, b -> sequences.add(b.baseSequence()));

        assertThat(log.segmentCount()).isGreaterThan(3);
        assertThat(sequences).hasSize(20).first().isEqualTo(20);
        assertThat(sequences).last().isEqualTo(58);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenReadRecords_whenDecoded_thenTheyCarryTheAssignedOffsets(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());
        log.append(batch(2, 3, 5), 0);
        log.append(batch(2, 3, 5), 0);

        LogReadResult read = log.read(2, 1000, Long.MAX_VALUE);
        try {
            ByteBuffer bytes = bytesOf(read.slice());
            List<Record> records = new RecordBatch().wrap(bytes, 0).records();
            assertThat(records).extracting(Record::offset).containsExactly(2L, 3L);
        } finally {
            read.slice().release();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAFollowerCopyingTheLeadersReads_whenCaughtUp_thenBothLogsHoldByteIdenticalBatches(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).segmentBytes(2048).build());
        for (int i = 0; i < 40; i++) {
            log.append(batch(1 + i % 3, 80, 1000 + i), i < 20 ? 1 : 2);
        }
        Path followerDir = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-follower"));
        try (PartitionLog follower = PartitionLog.open(followerDir, log.config(), time, 0, 0, true)) {
            while (follower.logEndOffset() < log.logEndOffset()) {
                LogReadResult read = log.read(follower.logEndOffset(), 700, log.logEndOffset());
                try {
                    assertThat(follower.appendAsFollower(bytesOf(read.slice())).isSuccess()).isTrue();
                } finally {
                    read.slice().release();
                }
            }

            assertThat(follower.leaderEpochCache().entries()).isEqualTo(log.leaderEpochCache().entries());
            assertThat(allBytes(follower)).isEqualTo(allBytes(log));
        }
    }

    private static ByteBuffer allBytes(PartitionLog log) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            LogReadResult read = log.read(next, Integer.MAX_VALUE, Long.MAX_VALUE);
            try {
                ByteBuffer bytes = bytesOf(read.slice());
                List<long[]> batches = batchesIn(bytes.duplicate());
                next = batches.get(batches.size() - 1)[1] + 1;
                out.write(bytes.array(), 0, bytes.limit());
            } finally {
                read.slice().release();
            }
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenLogAppendTime_whenAppending_thenBatchesCarryTheBrokerTimeAndStayValid(SegmentBackend backend) throws Exception {
        open(TestLogs.smallConfig(backend).build());

        LogAppendResult result = log.append(concat(batch(2, 10, 5), batch(1, 10, 7)), 3, true);

        assertThat(result.logAppendTime()).isEqualTo(time.milliseconds());
        assertThat(result.maxTimestamp()).isEqualTo(time.milliseconds());
        LogReadResult read = log.read(0, 1 << 20, Long.MAX_VALUE);
        try {
            ByteBuffer bytes = bytesOf(read.slice());
            RecordBatch first = new RecordBatch().wrap(bytes, 0);
            assertThat(first.validate()).isEqualTo(BatchValidation.VALID);
            assertThat(first.isLogAppendTime()).isTrue();
            assertThat(first.records()).extracting(Record::timestamp).containsOnly(time.milliseconds());
        } finally {
            read.slice().release();
        }
        assertThat(log.offsetForTimestamp(time.milliseconds())).contains(new TimestampOffset(time.milliseconds(), 0));
        assertThat(log.append(batch(1, 10, 5), 3).logAppendTime()).as("CreateTime").isEqualTo(-1);
    }

    private List<Long> readAllOffsets() throws Exception {
        List<Long> offsets = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            LogReadResult read = log.read(next, 1 << 20, log.logEndOffset());
            try {
                for (long[] b : batchesIn(bytesOf(read.slice()))) {
                    for (long o = b[0]; o <= b[1]; o++) {
                        offsets.add(o);
                    }
                    next = b[1] + 1;
                }
            } finally {
                read.slice().release();
            }
        }
        return offsets;
    }
}

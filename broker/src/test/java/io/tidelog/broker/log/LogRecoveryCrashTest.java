package io.tidelog.broker.log;

import static io.tidelog.broker.TestLogs.bytesOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka-style recovery tests with garbage: write batches over several small segments, crash,
 * damage the files, recover, and check that exactly the batches before the damage survive, that
 * offsets continue from there, and that lookups by offset and timestamp work. Ten seeds per kind
 * of damage and backend; {@code -Dtidelog.seed=N} replays one seed.
 */
class LogRecoveryCrashTest {

    private static final long BASE_SEED = Long.getLong("tidelog.seed", System.nanoTime());
    private static final int SEEDS = Long.getLong("tidelog.seed") != null ? 1 : 10;

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();

    /** One batch as written: where it lives and its exact bytes. */
    private record Written(long base, long last, long segment, long position, int size, long maxTimestamp, ByteBuffer bytes) {
        long end() {
            return position + size;
        }
    }

    static Stream<Arguments> seeds() {
        List<Arguments> args = new ArrayList<>();
        for (SegmentBackend backend : SegmentBackend.values()) {
            for (int i = 0; i < SEEDS; i++) {
                args.add(Arguments.of(backend, BASE_SEED + i));
            }
        }
        return args.stream();
    }

    private LogConfig config(SegmentBackend backend) {
        return TestLogs.smallConfig(backend).segmentBytes(4096).indexIntervalBytes(128).segmentIndexBytes(512).build();
    }

    private List<Written> writeBatches(PartitionLog log, Random random) throws IOException {
        int count = 40 + random.nextInt(40);
        for (int i = 0; i < count; i++) {
            LogAppendResult result = log.append(TestLogs.randomBatch(random, 250, 100_000L + i * 10L), 1 + i / 20);
            assertThat(result.isSuccess()).isTrue();
        }
        List<Written> written = new ArrayList<>();
        for (long offset = 0; offset < log.logEndOffset(); ) {
            LogReadResult read = log.read(offset, 1, log.logEndOffset());
            try {
                LogSlice slice = read.slice();
                ByteBuffer bytes = bytesOf(slice);
                long base = RecordBatchLayout.baseOffset(bytes, 0);
                long last = base + RecordBatchLayout.lastOffsetDelta(bytes, 0);
                written.add(new Written(base, last, slice.segmentBaseOffset(), slice.position(), slice.sizeInBytes(),
                        RecordBatchLayout.maxTimestamp(bytes, 0), bytes));
                offset = last + 1;
            } finally {
                read.slice().release();
            }
        }
        return written;
    }

    private Path segmentFile(long base) {
        return dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void givenATornTail_whenRecovering_thenExactlyTheWholeBatchesBeforeTheCutSurvive(SegmentBackend backend, long seed) throws Exception {
        Random random = new Random(seed);
        PartitionLog log = PartitionLog.open(dir, config(backend), time, 0, 0, true);
        List<Written> written = writeBatches(log, random);
        log.closeWithoutFlush();
        Written victim = written.get(random.nextInt(written.size()));
        long cut = victim.position + random.nextInt(victim.size);
        try (FileChannel channel = FileChannel.open(segmentFile(victim.segment), StandardOpenOption.WRITE)) {
            channel.truncate(cut);
        }

        assertRecoveredTo(backend, seed, written, survivorsBefore(written, victim.segment, cut, cut + 1, false), random);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void givenGarbageOverwritingPartOfASegment_whenRecovering_thenExactlyTheBatchesBeforeTheGarbageSurvive(SegmentBackend backend, long seed) throws Exception {
        Random random = new Random(seed);
        PartitionLog log = PartitionLog.open(dir, config(backend), time, 0, 0, true);
        List<Written> written = writeBatches(log, random);
        log.closeWithoutFlush();
        Written victim = written.get(random.nextInt(written.size()));
        long from = victim.position + random.nextInt(victim.size);
        int length = 1 + random.nextInt(300);
        byte[] original = new byte[length];
        byte[] garbage = new byte[length];
        try (FileChannel channel = FileChannel.open(segmentFile(victim.segment), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.read(ByteBuffer.wrap(original), from);
            random.nextBytes(garbage);
            for (int i = 0; i < length; i++) {
                if (garbage[i] == original[i]) {
                    garbage[i] ^= 0x5a; // every byte really changes
                }
            }
            channel.write(ByteBuffer.wrap(garbage), from);
        }

        assertRecoveredTo(backend, seed, written, survivorsBefore(written, victim.segment, from, from + length, true), random);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void givenAZeroedRange_whenRecovering_thenExactlyTheBatchesBeforeTheFirstChangedByteSurvive(SegmentBackend backend, long seed) throws Exception {
        Random random = new Random(seed);
        PartitionLog log = PartitionLog.open(dir, config(backend), time, 0, 0, true);
        List<Written> written = writeBatches(log, random);
        log.closeWithoutFlush();
        Written victim = written.get(random.nextInt(written.size()));
        long from = victim.position + random.nextInt(victim.size);
        byte[] original = new byte[1 + random.nextInt(600)];
        List<Written> expected = written;
        try (FileChannel channel = FileChannel.open(segmentFile(victim.segment), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            int read = Math.max(0, channel.read(ByteBuffer.wrap(original), from));
            channel.write(ByteBuffer.allocate(read), from);
            int first = 0;
            while (first < read && original[first] == 0) {
                first++;
            }
            int last = read - 1;
            while (last >= first && original[last] == 0) {
                last--;
            }
            if (first <= last) { // some byte really changed
                expected = survivorsBefore(written, victim.segment, from + first, from + last + 1, true);
            }
        }

        assertRecoveredTo(backend, seed, written, expected, random);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void givenOneFlippedBit_whenRecovering_thenTheDamagedBatchAndEverythingAfterItIsGone(SegmentBackend backend, long seed) throws Exception {
        Random random = new Random(seed);
        PartitionLog log = PartitionLog.open(dir, config(backend), time, 0, 0, true);
        List<Written> written = writeBatches(log, random);
        log.closeWithoutFlush();
        Written victim = written.get(random.nextInt(written.size()));
        long at = victim.position + random.nextInt(victim.size);
        try (FileChannel channel = FileChannel.open(segmentFile(victim.segment), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte) (one.get(0) ^ (1 << random.nextInt(8))));
            channel.write(one.flip(), at);
        }

        assertRecoveredTo(backend, seed, written, survivorsBefore(written, victim.segment, at, at + 1, true), random);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void givenADeletedOrCorruptIndex_whenReopening_thenItIsRebuiltAndEveryBatchSurvives(SegmentBackend backend, long seed) throws Exception {
        Random random = new Random(seed);
        PartitionLog log = PartitionLog.open(dir, config(backend), time, 0, 0, true);
        List<Written> written = writeBatches(log, random);
        log.close();
        List<Long> segments = log.segmentBaseOffsets();
        long segment = segments.get(random.nextInt(segments.size()));
        String suffix = random.nextBoolean() ? LogSegment.INDEX_SUFFIX : LogSegment.TIME_INDEX_SUFFIX;
        Path index = dir.resolve(LogSegment.fileName(segment, suffix));
        int damage = random.nextInt(3);
        long length = Files.size(index);
        if (damage == 0 || length == 0) {
            Files.delete(index);
        } else if (damage == 1) {
            byte[] garbage = new byte[(int) length];
            random.nextBytes(garbage);
            Files.write(index, garbage);
        } else {
            try (FileChannel channel = FileChannel.open(index, StandardOpenOption.WRITE)) {
                channel.truncate(length - 1 - random.nextInt((int) Math.min(length, 7)));
            }
        }
        boolean clean = random.nextBoolean();

        assertRecoveredTo(backend, seed, written, written, random, clean, log.logEndOffset());
    }

    /**
     * The batches that must survive damage to bytes [from, to) of a segment: every batch before
     * the first one the damage touches. Changed bytes confined to a batch's partitionLeaderEpoch
     * field are invisible (the CRC does not cover it), so such a batch and all after it survive;
     * a cut is never invisible.
     */
    private static List<Written> survivorsBefore(List<Written> written, long segment, long from, long to,
                                                 boolean epochFieldInvisible) {
        List<Written> survivors = new ArrayList<>();
        for (Written w : written) {
            boolean touched = w.segment == segment && from < w.end() && to > w.position;
            if (touched) {
                long epochStart = w.position + RecordBatchLayout.PARTITION_LEADER_EPOCH_OFFSET;
                boolean onlyEpoch = epochFieldInvisible && from >= epochStart && to <= epochStart + 4;
                if (!onlyEpoch) {
                    return survivors;
                }
            }
            survivors.add(w);
        }
        return survivors;
    }

    /** The batch bytes with partitionLeaderEpoch zeroed: the one field damage can change undetected. */
    private static ByteBuffer withoutEpoch(ByteBuffer batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        copy.putInt(RecordBatchLayout.PARTITION_LEADER_EPOCH_OFFSET, 0);
        return copy;
    }

    private void assertRecoveredTo(SegmentBackend backend, long seed, List<Written> written, List<Written> expected,
                                   Random random) throws Exception {
        long recoveryPoint = expected.isEmpty() ? 0 : random.nextInt((int) expected.get(expected.size() - 1).base + 1);
        assertRecoveredTo(backend, seed, written, expected, random, false, recoveryPoint);
    }

    private void assertRecoveredTo(SegmentBackend backend, long seed, List<Written> written, List<Written> expected,
                                   Random random, boolean clean, long recoveryPoint) throws Exception {
        String because = "seed " + seed + " (" + backend + "), recovery point " + recoveryPoint + ", " + expected.size()
                + " of " + written.size() + " batches expected";
        long expectedEnd = expected.isEmpty() ? 0 : expected.get(expected.size() - 1).last + 1;
        try (PartitionLog log = PartitionLog.open(dir, config(backend), time, recoveryPoint, 0, clean)) {
            assertThat(log.logEndOffset()).as(because).isEqualTo(expectedEnd);
            for (Written w : expected) {
                long probe = w.base + random.nextInt((int) (w.last - w.base + 1));
                LogReadResult read = log.read(probe, 1, log.logEndOffset());
                try {
                    assertThat(withoutEpoch(bytesOf(read.slice()))).as(because + ": batch at " + w.base)
                            .isEqualTo(withoutEpoch(w.bytes.duplicate().position(0)));
                } finally {
                    read.slice().release();
                }
                assertThat(log.offsetForTimestamp(w.maxTimestamp).map(TimestampOffset::offset))
                        .as(because + ": timestamp lookup of batch " + w.base).hasValueSatisfying(o -> assertThat(o).isBetween(w.base, w.last));
            }
            assertThat(log.read(expectedEnd, 1000, Long.MAX_VALUE).slice().isEmpty()).as(because).isTrue();
            LogAppendResult next = log.append(TestLogs.batch(2, 10, 999_999), 9);
            assertThat(next.firstOffset()).as(because + ": offsets continue").isEqualTo(expectedEnd);
            LogReadResult tail = log.read(expectedEnd, 1000, Long.MAX_VALUE);
            try {
                assertThat(TestLogs.batchesIn(bytesOf(tail.slice()))).as(because).hasSize(1);
            } finally {
                tail.slice().release();
            }
            assertThat(log.offsetForTimestamp(999_999)).as(because).contains(new TimestampOffset(999_999, expectedEnd));
        }
    }
}

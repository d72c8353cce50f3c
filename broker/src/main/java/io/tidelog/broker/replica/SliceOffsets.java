package io.tidelog.broker.replica;

import io.tidelog.broker.log.LogSlice;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * How many records a fetch delivers from one slice, for the records-out counter: the offsets from
 * the fetch offset to the offset after the slice's last batch. Without compaction that is the
 * number of records at or after the fetch offset in the batches sent (a slice starts with the
 * whole batch holding the fetch offset; the records before it are sent but not delivered).
 *
 * <p>A slice does not carry its last offset, and walking its batch headers would cost one read
 * per batch. Instead this reads one header: whatever follows the slice in the segment file.
 * Offsets in a segment are dense, so a batch there starts right after the slice. Nothing there
 * means the slice ends the segment's data: then a preallocated (still active) file reads zeros
 * and its end is the log end offset read beforehand; a trimmed (rolled) file ends, and its end is
 * the next segment's base offset. A segment rolled but not yet trimmed in the instant between the
 * two reads can over-count one fetch; it is a metric, not data.
 *
 * <p>Any thread; one 17-byte direct buffer per thread; returns 0 when the file cannot be read.
 * Public for the perf module's {@code FetchRecordsOutBenchmark}, which measures its cost.
 */
public final class SliceOffsets {

    /** baseOffset, batchLength, partitionLeaderEpoch and magic. */
    private static final int PROBE_BYTES = RecordBatchLayout.MAGIC_OFFSET + 1;
    private static final ThreadLocal<ByteBuffer> PROBES =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(PROBE_BYTES));
    private static final long NO_BATCH = -1;
    private static final long END_OF_FILE = -2;

    private SliceOffsets() {
    }

    /** Records at or after {@code fetchOffset} in {@code slice} (0 for an empty slice). */
    public static long delivered(Partition partition, long fetchOffset, LogSlice slice) {
        if (slice.isEmpty()) {
            return 0;
        }
        long logEndOffset = partition.logEndOffset();
        try {
            long next = baseOffsetAt(slice.channel(), slice.position() + slice.sizeInBytes());
            if (next == NO_BATCH) {
                next = logEndOffset;
            } else if (next == END_OF_FILE) {
                next = nextSegmentBase(partition, slice.segmentBaseOffset(), logEndOffset);
            }
            return Math.max(0, next - fetchOffset);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The baseOffset of the batch at {@code position}, {@link #NO_BATCH} or {@link #END_OF_FILE}. */
    private static long baseOffsetAt(FileChannel channel, long position) throws IOException {
        ByteBuffer probe = PROBES.get().clear();
        long p = position;
        while (probe.hasRemaining()) {
            int n = channel.read(probe, p);
            if (n < 0) {
                return probe.position() == 0 ? END_OF_FILE : NO_BATCH;
            }
            p += n;
        }
        if (probe.get(RecordBatchLayout.MAGIC_OFFSET) != RecordBatchLayout.MAGIC_V2
                || probe.getInt(RecordBatchLayout.BATCH_LENGTH_OFFSET) <= 0) {
            return NO_BATCH;
        }
        return probe.getLong(RecordBatchLayout.BASE_OFFSET_OFFSET);
    }

    /** Rare (once per rolled segment read to its end): allocates the list of base offsets. */
    private static long nextSegmentBase(Partition partition, long segmentBase, long logEndOffset) {
        List<Long> bases = partition.log().segmentBaseOffsets();
        for (long base : bases) {
            if (base > segmentBase) {
                return base;
            }
        }
        return logEndOffset;
    }
}

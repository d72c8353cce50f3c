package io.tidelog.broker.log;

import io.tidelog.protocol.record.RecordBatchLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads batch headers from a segment file in 4 KiB chunks, so walking many small batches costs
 * one {@code pread} per chunk instead of one per batch. One instance per thread
 * ({@link #forThisThread()}); {@link #reset} at the start of every walk, because the file may
 * have changed since the last one.
 *
 * <p>Only the first {@link #HEADER_BYTES} of a header are guaranteed in the buffer: baseOffset,
 * batchLength, partitionLeaderEpoch, magic, crc, attributes, lastOffsetDelta, baseTimestamp and
 * maxTimestamp.
 */
final class HeaderReader {

    static final int HEADER_BYTES = RecordBatchLayout.MAX_TIMESTAMP_OFFSET + 8;
    private static final int CHUNK = 4 * 1024;
    private static final ThreadLocal<HeaderReader> READERS = ThreadLocal.withInitial(HeaderReader::new);

    private final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
    private FileChannel channel;
    private long bufStart;
    private int bufLength;

    static HeaderReader forThisThread() {
        return READERS.get();
    }

    HeaderReader reset(FileChannel channel) {
        this.channel = channel;
        this.bufStart = 0;
        this.bufLength = 0;
        return this;
    }

    ByteBuffer buffer() {
        return buf;
    }

    /**
     * Index in {@link #buffer()} of the header at file {@code position}, or -1 if the bytes there
     * are not a plausible batch header (short read, bad length, bad magic).
     */
    int headerAt(long position) throws IOException {
        if (position < bufStart || position + HEADER_BYTES > bufStart + bufLength) {
            fill(position);
            if (bufLength < HEADER_BYTES) {
                return -1;
            }
        }
        int index = (int) (position - bufStart);
        int length = buf.getInt(index + RecordBatchLayout.BATCH_LENGTH_OFFSET);
        if (length < RecordBatchLayout.HEADER_SIZE - RecordBatchLayout.LOG_OVERHEAD
                || buf.get(index + RecordBatchLayout.MAGIC_OFFSET) != RecordBatchLayout.MAGIC_V2) {
            return -1;
        }
        return index;
    }

    long baseOffset(int index) {
        return buf.getLong(index + RecordBatchLayout.BASE_OFFSET_OFFSET);
    }

    long lastOffset(int index) {
        return baseOffset(index) + buf.getInt(index + RecordBatchLayout.LAST_OFFSET_DELTA_OFFSET);
    }

    long maxTimestamp(int index) {
        return buf.getLong(index + RecordBatchLayout.MAX_TIMESTAMP_OFFSET);
    }

    int sizeInBytes(int index) {
        return buf.getInt(index + RecordBatchLayout.BATCH_LENGTH_OFFSET) + RecordBatchLayout.LOG_OVERHEAD;
    }

    private void fill(long position) throws IOException {
        buf.clear();
        long p = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, p);
            if (n <= 0) {
                break;
            }
            p += n;
        }
        bufStart = position;
        bufLength = buf.position();
    }
}

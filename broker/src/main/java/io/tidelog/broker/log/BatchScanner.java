package io.tidelog.broker.log;

import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the batches of a segment file through its {@link FileChannel} (never through a mapping),
 * reading whole batches into a reusable buffer. Used by recovery, index rebuilds and visitors.
 *
 * <p>Invariant: after {@link #next} returns VALID, {@link #batch()} views the complete batch and
 * {@link #batchPosition()} is its file position; {@link #validEnd()} is the end of the last valid
 * batch. Scanning stops at the first non-valid result.
 */
final class BatchScanner {

    private static final int CHUNK = 256 * 1024;

    private final FileChannel channel;
    private final long end;
    private final RecordBatch batch = new RecordBatch();
    private long compactedBelow;
    private ByteBuffer buf;
    private long bufFilePosition;
    private long position;
    private long batchPosition;

    BatchScanner(FileChannel channel, long start, long end) {
        this.channel = channel;
        this.position = start;
        this.end = end;
        this.bufFilePosition = start;
        this.buf = ByteBuffer.allocateDirect((int) Math.max(RecordBatchLayout.HEADER_SIZE, Math.min(CHUNK, end - start)));
        buf.limit(0);
    }

    /**
     * Batches whose baseOffset is below {@code offset} may have been rewritten by the cleaner:
     * content verification accepts fewer records than lastOffsetDelta + 1
     * ({@link CompactedBatches#validate}). Default 0: every batch must be dense.
     */
    BatchScanner compactedBelow(long offset) {
        this.compactedBelow = offset;
        return this;
    }

    /**
     * Reads the next batch. Returns null at a clean end (exactly at {@code end}), VALID with the
     * batch available, or the reason the bytes at {@link #position()} are not a batch.
     */
    BatchValidation next(boolean verifyContent) throws IOException {
        long remaining = end - position;
        if (remaining == 0) {
            return null;
        }
        if (remaining < RecordBatchLayout.HEADER_SIZE) {
            return BatchValidation.TRUNCATED_HEADER;
        }
        ensureBuffered(RecordBatchLayout.HEADER_SIZE);
        int offset = (int) (position - bufFilePosition);
        long declared = (long) RecordBatchLayout.batchLength(buf, offset) + RecordBatchLayout.LOG_OVERHEAD;
        if (declared < RecordBatchLayout.HEADER_SIZE || declared > remaining) {
            return BatchValidation.LENGTH_OUT_OF_BOUNDS;
        }
        if (RecordBatchLayout.magic(buf, offset) != RecordBatchLayout.MAGIC_V2) {
            return BatchValidation.BAD_MAGIC;
        }
        ensureBuffered((int) declared);
        offset = (int) (position - bufFilePosition);
        batch.wrap(buf, offset);
        BatchValidation result = !verifyContent ? batch.validateHeader()
                : batch.baseOffset() < compactedBelow ? batch.validateCompacted() : batch.validate();
        if (result.isValid()) {
            batchPosition = position;
            position += declared;
        }
        return result;
    }

    /** True if the bytes at {@link #position()} are zeros: the unused, preallocated tail of a segment. */
    boolean atZeroHeader() throws IOException {
        long remaining = Math.min(end - position, RecordBatchLayout.LOG_OVERHEAD);
        if (remaining <= 0) {
            return true;
        }
        ensureBuffered((int) remaining);
        int offset = (int) (position - bufFilePosition);
        for (int i = 0; i < remaining; i++) {
            if (buf.get(offset + i) != 0) {
                return false;
            }
        }
        return true;
    }

    RecordBatch batch() {
        return batch;
    }

    long batchPosition() {
        return batchPosition;
    }

    /** File position after the last valid batch (where scanning stopped). */
    long position() {
        return position;
    }

    private void ensureBuffered(int bytes) throws IOException {
        long bufEnd = bufFilePosition + buf.limit();
        if (position >= bufFilePosition && position + bytes <= bufEnd) {
            return;
        }
        if (bytes > buf.capacity()) {
            buf = ByteBuffer.allocateDirect((int) Math.max(bytes, Math.min(CHUNK, end - position)));
        }
        buf.clear();
        long toRead = Math.min(buf.capacity(), end - position);
        buf.limit((int) toRead);
        long filePosition = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, filePosition);
            if (n < 0) {
                break;
            }
            filePosition += n;
        }
        buf.flip();
        bufFilePosition = position;
        if (buf.limit() < bytes) {
            throw new IOException("segment file ended early: wanted " + bytes + " bytes at " + position
                    + ", file has " + channel.size());
        }
    }
}

package io.tidelog.broker.log;

import static io.tidelog.protocol.record.RecordBatchLayout.ATTRIBUTES_OFFSET;
import static io.tidelog.protocol.record.RecordBatchLayout.BATCH_LENGTH_OFFSET;
import static io.tidelog.protocol.record.RecordBatchLayout.COMPRESSION_CODEC_MASK;
import static io.tidelog.protocol.record.RecordBatchLayout.CRC_OFFSET;
import static io.tidelog.protocol.record.RecordBatchLayout.CRC_START;
import static io.tidelog.protocol.record.RecordBatchLayout.HEADER_SIZE;
import static io.tidelog.protocol.record.RecordBatchLayout.LOG_OVERHEAD;
import static io.tidelog.protocol.record.RecordBatchLayout.RECORDS_COUNT_OFFSET;

import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Filters the records of one batch for the cleaner: a record survives if it has a key, no later
 * record of its key exists ({@link OffsetMap}), and it is not a tombstone (null value) already
 * past the tombstone horizon.
 *
 * <p>A rewritten batch keeps every header field of the original — baseOffset, lastOffsetDelta
 * (so it covers the same offsets and its producer's last sequence survives), timestamps,
 * producer id, epoch and base sequence, leader epoch, codec — and the surviving records' bytes
 * unchanged (their offset and timestamp deltas stay relative to the same base); only
 * batchLength, recordsCount and the CRC-32C are new. A compressed batch is decompressed, filtered
 * and compressed again with its codec. A batch left without records disappears unless
 * {@code retainEmpty} (the last batch of an idempotent producer, kept so its sequence state
 * survives a reload): it stays as a header with zero records (and no codec).
 *
 * <p>Not thread-safe: one per cleaner thread; buffers are reused.
 */
final class BatchCompactor {

    /** What {@link #filter} decided. */
    enum Outcome {
        /** Every record survives: copy the batch as it is. */
        KEEP,
        /** Nothing survives and nothing needs the batch: leave it out. */
        DROP,
        /** Some records survive: write {@link #rewritten()} instead. */
        REWRITTEN
    }

    private final RecordCursor cursor = new RecordCursor();
    private final CRC32C crc = new CRC32C();
    private int[] kept = new int[64];
    private ByteBuffer records = ByteBuffer.allocate(64 * 1024);
    private ByteBuffer out = ByteBuffer.allocate(64 * 1024);
    private int recordsRemoved;

    /**
     * Decides the batch's fate against {@code map}; a tombstone at an offset below
     * {@code tombstoneHorizon} is removed even if it is its key's latest record.
     */
    Outcome filter(RecordBatch batch, OffsetMap map, long tombstoneHorizon, boolean retainEmpty) {
        ByteBuffer section = CompactedBatches.recordsSection(batch);
        cursor.reset(section, section.position(), section.limit(), batch.recordsCount());
        long base = batch.baseOffset();
        ByteBuffer key = section.duplicate();
        int total = 0;
        int survivors = 0;
        while (cursor.next()) {
            total++;
            if (survives(key, map, base + cursor.offsetDelta(), tombstoneHorizon)) {
                keep(survivors++, cursor.recordStart(), cursor.recordEnd());
            }
        }
        recordsRemoved += total - survivors;
        if (survivors == total) {
            return Outcome.KEEP;
        }
        if (survivors == 0 && !retainEmpty) {
            return Outcome.DROP;
        }
        rewrite(batch, section, survivors);
        return Outcome.REWRITTEN;
    }

    /** {@code key}: a view of the records section, pointed at each record's key in turn. */
    private boolean survives(ByteBuffer key, OffsetMap map, long offset, long tombstoneHorizon) {
        int keyLength = cursor.keyLength();
        if (keyLength < 0) {
            return false; // a compacted topic refuses keyless records; older ones cannot be compacted
        }
        key.clear().position(cursor.keyPosition()).limit(cursor.keyPosition() + keyLength);
        if (map.get(key) > offset) {
            return false;
        }
        return cursor.valueLength() >= 0 || offset >= tombstoneHorizon;
    }

    private void keep(int index, int start, int end) {
        if (2 * index + 2 > kept.length) {
            kept = java.util.Arrays.copyOf(kept, kept.length * 2);
        }
        kept[2 * index] = start;
        kept[2 * index + 1] = end;
    }

    private void rewrite(RecordBatch batch, ByteBuffer section, int survivors) {
        records = ensure(records, section.limit());
        records.clear();
        for (int i = 0; i < survivors; i++) {
            ByteBuffer record = section.duplicate();
            record.limit(kept[2 * i + 1]).position(kept[2 * i]);
            records.put(record);
        }
        records.flip();
        int codec = survivors == 0 ? 0 : batch.compressionCodec();
        ByteBuffer body = codec == 0 ? records : CompressionType.forCodec(codec).compress(records);
        int size = HEADER_SIZE + body.remaining();
        out = ensure(out, size);
        out.clear();
        ByteBuffer header = batch.buffer().duplicate();
        header.limit(batch.start() + HEADER_SIZE).position(batch.start());
        out.put(header).put(body.duplicate()).flip();
        out.putInt(BATCH_LENGTH_OFFSET, size - LOG_OVERHEAD);
        out.putInt(RECORDS_COUNT_OFFSET, survivors);
        short attributes = out.getShort(ATTRIBUTES_OFFSET);
        out.putShort(ATTRIBUTES_OFFSET, (short) ((attributes & ~COMPRESSION_CODEC_MASK) | codec));
        crc.reset();
        crc.update(out.array(), out.arrayOffset() + CRC_START, size - CRC_START);
        out.putInt(CRC_OFFSET, (int) crc.getValue());
    }

    private static ByteBuffer ensure(ByteBuffer buffer, int capacity) {
        return buffer.capacity() >= capacity ? buffer : ByteBuffer.allocate(Math.max(capacity, buffer.capacity() * 2));
    }

    /** The batch built by the last {@link #filter} that answered REWRITTEN (position 0..size). */
    ByteBuffer rewritten() {
        return out.duplicate();
    }

    /** Records removed by every {@link #filter} call since the last {@link #resetStats()}. */
    int recordsRemoved() {
        return recordsRemoved;
    }

    void resetStats() {
        recordsRemoved = 0;
    }
}

package io.tidelog.broker.log;

import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchLayout;
import io.tidelog.protocol.types.MalformedVarintException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Validation of batches the cleaner may have rewritten. A cleaned batch keeps its baseOffset and
 * lastOffsetDelta (so it covers the same offsets, and its producer's last sequence survives) but
 * may hold fewer records: {@code 0 <= recordsCount <= lastOffsetDelta + 1}, and the records'
 * offsetDeltas strictly increase inside [0, lastOffsetDelta]. Everything else is checked as for
 * a produced batch (length bounds, magic, CRC-32C, record framing).
 *
 * <p>Also the produce-side rule of compacted topics: every record needs a key.
 */
final class CompactedBatches {

    private CompactedBatches() {
    }

    /** Full validation of a possibly compacted batch; allocates only for compressed batches. */
    static BatchValidation validate(RecordBatch batch, RecordCursor cursor) {
        BatchValidation header = batch.validateHeader();
        if (!header.isValid()) {
            return header;
        }
        if (batch.computeCrc() != batch.storedCrc()) {
            return BatchValidation.CRC_MISMATCH;
        }
        int lastOffsetDelta = batch.lastOffsetDelta();
        int count = batch.recordsCount();
        if (lastOffsetDelta < 0 || count < 0 || count > lastOffsetDelta + 1) {
            return BatchValidation.RECORD_COUNT_MISMATCH;
        }
        if (batch.isCompressed() || count == 0) {
            return BatchValidation.VALID;
        }
        int start = batch.start() + RecordBatchLayout.RECORDS_OFFSET;
        int end = batch.start() + batch.sizeInBytes();
        return recordsIncreasing(cursor.reset(batch.buffer(), start, end, count), end, lastOffsetDelta)
                ? BatchValidation.VALID : BatchValidation.INVALID_RECORD;
    }

    private static boolean recordsIncreasing(RecordCursor cursor, int end, int lastOffsetDelta) {
        try {
            int previous = -1;
            while (cursor.next()) {
                int delta = cursor.offsetDelta();
                if (delta <= previous || delta > lastOffsetDelta) {
                    return false;
                }
                previous = delta;
            }
            return cursor.position() == end;
        } catch (BufferUnderflowException | MalformedVarintException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Index of the first record without a key in a valid batch, or -1 if every record has one.
     * Compressed batches are decompressed (control path of a compacted topic's produce).
     */
    static int firstRecordWithoutKey(RecordBatch batch, RecordCursor cursor) {
        ByteBuffer records = recordsSection(batch);
        cursor.reset(records, records.position(), records.limit(), batch.recordsCount());
        for (int i = 0; cursor.next(); i++) {
            if (cursor.keyLength() < 0) {
                return i;
            }
        }
        return -1;
    }

    /** The uncompressed records section of a valid batch (decompressed into a new buffer if needed). */
    static ByteBuffer recordsSection(RecordBatch batch) {
        ByteBuffer section = batch.buffer().duplicate();
        section.limit(batch.start() + batch.sizeInBytes()).position(batch.start() + RecordBatchLayout.RECORDS_OFFSET);
        if (!batch.isCompressed()) {
            return section;
        }
        return CompressionType.decompress(batch.compressionCodec(), section.slice());
    }
}

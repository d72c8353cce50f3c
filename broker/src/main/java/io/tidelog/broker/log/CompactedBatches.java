package io.tidelog.broker.log;

import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.nio.ByteBuffer;

/**
 * The record-level rules of compacted topics: every produced record needs a key, and the records
 * section of a batch the cleaner rewrites. A cleaned batch keeps its baseOffset and
 * lastOffsetDelta but may hold fewer records; {@link RecordBatch#validateCompacted()} checks it.
 */
final class CompactedBatches {

    private CompactedBatches() {
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

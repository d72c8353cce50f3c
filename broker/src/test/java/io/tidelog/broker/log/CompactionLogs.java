package io.tidelog.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.Record;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keyed batches, full reads with per-batch validation, and the "latest per key" oracle of compaction tests. */
final class CompactionLogs {

    private CompactionLogs() {
    }

    /** A record as a test sees it: offset, key, value (null for a tombstone). */
    record Kv(long offset, String key, String value) {
    }

    /** A batch of {@code keysAndValues} pairs (key, value-or-null), timestamps from {@code timestamp}. */
    static ByteBuffer keyed(long timestamp, CompressionType codec, String... keysAndValues) {
        return keyed(timestamp, codec, -1, (short) -1, -1, keysAndValues);
    }

    static ByteBuffer keyed(long timestamp, CompressionType codec, long producerId, short epoch, int baseSequence,
                            String... keysAndValues) {
        RecordBatchBuilder builder = new RecordBatchBuilder().producer(producerId, epoch, baseSequence);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String value = keysAndValues[i + 1];
            builder.append(timestamp + i, bytes(keysAndValues[i]), value == null ? null : bytes(value));
        }
        return codec == CompressionType.NONE ? builder.build() : builder.buildCompressed(codec.codec(), codec::compress);
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** One batch read back: its header facts and records. */
    record ReadBatch(long baseOffset, long lastOffset, int codec, long producerId, int recordsCount, List<Kv> records) {
    }

    /**
     * Reads every batch from the log start offset to the LEO, asserting each is valid (CRC-32C,
     * framing, at most lastOffsetDelta + 1 records with increasing offsets) and that batches and
     * records only move forward.
     */
    static List<ReadBatch> readBatches(PartitionLog log, String because) throws IOException {
        List<ReadBatch> batches = new ArrayList<>();
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        RecordBatch view = new RecordBatch();
        long previousLast = -1;
        while (offset < end) {
            LogReadResult read = log.read(offset, 1 << 20, end);
            assertThat(read.offsetOutOfRange()).as(because + ": read at " + offset).isFalse();
            ByteBuffer bytes;
            try {
                if (read.slice().isEmpty()) {
                    break;
                }
                bytes = io.tidelog.broker.TestLogs.bytesOf(read.slice());
            } finally {
                read.slice().release();
            }
            for (int p = 0; p < bytes.limit(); p += view.sizeInBytes()) {
                view.wrap(bytes, p);
                assertThat(view.validateCompacted()).as(because + ": batch at " + view.baseOffset())
                        .isEqualTo(BatchValidation.VALID);
                assertThat(view.baseOffset()).as(because + ": batches move forward").isGreaterThan(previousLast);
                previousLast = view.lastOffset();
                List<Kv> records = new ArrayList<>();
                for (Record r : view.records(CompressionType::decompress)) {
                    records.add(new Kv(r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                            r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
                    assertThat(r.offset()).as(because).isBetween(view.baseOffset(), view.lastOffset());
                }
                batches.add(new ReadBatch(view.baseOffset(), view.lastOffset(), view.compressionCodec(), view.producerId(),
                        view.recordsCount(), records));
                offset = view.nextOffset();
            }
        }
        return batches;
    }

    static List<Kv> readAll(PartitionLog log, String because) throws IOException {
        List<Kv> all = new ArrayList<>();
        for (ReadBatch batch : readBatches(log, because)) {
            all.addAll(batch.records());
        }
        long previous = -1;
        for (Kv kv : all) {
            assertThat(kv.offset()).as(because + ": offsets strictly increase").isGreaterThan(previous);
            previous = kv.offset();
        }
        return all;
    }

    /** The latest record of each key among {@code written}, in offset order. */
    static List<Kv> latestPerKey(List<Kv> written) {
        Map<String, Kv> latest = new LinkedHashMap<>();
        for (Kv kv : written) {
            latest.remove(kv.key());
            latest.put(kv.key(), kv);
        }
        List<Kv> result = new ArrayList<>(latest.values());
        result.sort(java.util.Comparator.comparingLong(Kv::offset));
        return result;
    }

    /** Appends and returns the records with the offsets the log gave them. */
    static List<Kv> append(PartitionLog log, ByteBuffer batch) {
        List<Kv> records = new ArrayList<>();
        RecordBatch view = new RecordBatch().wrap(batch, 0);
        List<Record> decoded = view.records(CompressionType::decompress);
        LogAppendResult result = log.append(batch, 0);
        assertThat(result.isSuccess()).as(String.valueOf(result.message())).isTrue();
        for (int i = 0; i < decoded.size(); i++) {
            Record r = decoded.get(i);
            records.add(new Kv(result.firstOffset() + i, r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
        }
        return records;
    }
}

package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.Record;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The record batches one Fetch response returned for one partition, turned into
 * {@link ConsumerRecord}s on the poll thread as the application asks for them (so decompression,
 * CRC checks and deserialization cost the application's thread, not the network thread).
 *
 * <p>Batches are walked in order. A batch is checked (header, and the CRC-32C when
 * {@code check.crcs}) before any record of it is returned; compressed batches are inflated
 * whole. Records below the position (the broker returns the whole batch holding the fetch offset)
 * and control batches are skipped; after a batch the position moves to the batch's next offset,
 * which also steps over offsets compaction removed. A batch cut short at the end of the response
 * ends the fetch. Not thread-safe: created by the network thread, then used only by the poll
 * thread under the {@link SubscriptionState} monitor.
 */
final class CompletedFetch {

    final TopicPartition tp;
    /** The position this data was fetched for. */
    final long fetchOffset;
    private final ByteBuffer buffer;
    private final RecordBatch batch = new RecordBatch();
    private int nextBatchStart;
    private List<Record> batchRecords;
    private int recordIndex;
    private int batchEpoch;
    private long batchNextOffset;
    private boolean batchLogAppendTime;
    private boolean sawCompleteBatch;
    private boolean exhausted;
    private ConsumerException failure;
    private boolean stuck;

    CompletedFetch(TopicPartition tp, long fetchOffset, ByteBuffer buffer) {
        this.tp = tp;
        this.fetchOffset = fetchOffset;
        this.buffer = buffer;
        this.nextBatchStart = buffer.position();
    }

    boolean isExhausted() {
        return exhausted;
    }

    /**
     * Adds up to {@code max} records at or after the partition's position to {@code out} and
     * advances the position past them. Stops early at the end of the data.
     *
     * @return the number of records added
     * @throws CorruptRecordException, RecordDeserializationException, RecordTooLargeException;
     *         the position stays at the failing record, so the same error repeats until a seek
     */
    <K, V> int drain(SubscriptionState.PartitionState state, int max, boolean checkCrcs,
                     Deserializer<K> keys, Deserializer<V> values, List<ConsumerRecord<K, V>> out) {
        stuck = true;
        int added = drainOrThrow(state, max, checkCrcs, keys, values, out);
        stuck = false;
        return added;
    }

    /**
     * True when the last {@link #drain} threw: the partition stays at the failing record until the
     * application seeks, so its data will not drain by polling alone.
     */
    boolean isStuck() {
        return stuck;
    }

    private <K, V> int drainOrThrow(SubscriptionState.PartitionState state, int max, boolean checkCrcs,
                                    Deserializer<K> keys, Deserializer<V> values, List<ConsumerRecord<K, V>> out) {
        if (failure != null) {
            throw failure;
        }
        int added = 0;
        while (added < max && !exhausted) {
            if (batchRecords == null) {
                if (!openNextBatch(state, checkCrcs)) {
                    continue;
                }
            }
            if (recordIndex < batchRecords.size()) {
                Record record = batchRecords.get(recordIndex);
                if (record.offset() >= state.position) {
                    out.add(toConsumerRecord(record, keys, values));
                    state.position = record.offset() + 1;
                    state.offsetEpoch = batchEpoch;
                    added++;
                }
                recordIndex++;
                continue;
            }
            finishBatch(state);
        }
        return added;
    }

    /** Moves to the next batch; returns false when there was none to open (or it was skipped). */
    private boolean openNextBatch(SubscriptionState.PartitionState state, boolean checkCrcs) {
        if (buffer.limit() - nextBatchStart < RecordBatchLayout.LOG_OVERHEAD) {
            return finishFetch();
        }
        batch.wrap(buffer, nextBatchStart);
        int declaredSize = RecordBatchLayout.batchLength(buffer, nextBatchStart) + RecordBatchLayout.LOG_OVERHEAD;
        if (declaredSize > batch.available()) {
            return finishFetch();
        }
        // check.crcs verifies what the batch's writer sealed: header and CRC. A compacted batch keeps
        // its offset range while records leave it, so its record count is not checked.
        BatchValidation validation = checkCrcs ? batch.validateIntegrity() : batch.validateHeader();
        if (!validation.isValid()) {
            throw fail(new CorruptRecordException(tp, Math.max(state.position, batch.baseOffset()),
                    "record batch at offset " + batch.baseOffset() + " of " + tp + " is invalid (" + validation
                    + (batch.magic() != RecordBatchLayout.MAGIC_V2 ? ", magic " + batch.magic()
                    + ": only record batch v2 is supported" : "") + "); seek past offset "
                    + batch.lastOffset() + " to skip it"));
        }
        sawCompleteBatch = true;
        nextBatchStart += batch.sizeInBytes();
        if (batch.nextOffset() <= state.position || batch.isControl()) {
            state.position = Math.max(state.position, batch.nextOffset());
            return false;
        }
        try {
            batchRecords = batch.isCompressed()
                    ? batch.records(CompressionType::decompress)
                    : batch.records();
        } catch (RuntimeException e) {
            throw fail(new CorruptRecordException(tp, Math.max(state.position, batch.baseOffset()),
                    "record batch at offset " + batch.baseOffset() + " of " + tp + " cannot be decoded ("
                    + e.getMessage() + "); seek past offset " + batch.lastOffset() + " to skip it"));
        }
        recordIndex = 0;
        batchEpoch = batch.partitionLeaderEpoch();
        batchNextOffset = batch.nextOffset();
        batchLogAppendTime = batch.isLogAppendTime();
        return true;
    }

    private void finishBatch(SubscriptionState.PartitionState state) {
        if (batchNextOffset > state.position) {
            state.position = batchNextOffset;
            state.offsetEpoch = batchEpoch;
        }
        batchRecords = null;
    }

    private boolean finishFetch() {
        if (!sawCompleteBatch && buffer.limit() > buffer.position()) {
            throw fail(new RecordTooLargeException(tp, fetchOffset, "the record batch at offset " + fetchOffset
                    + " of " + tp + " is larger than the " + (buffer.limit() - buffer.position())
                    + " bytes the broker returned: raise max.partition.fetch.bytes and fetch.max.bytes"));
        }
        exhausted = true;
        return false;
    }

    private ConsumerException fail(ConsumerException e) {
        failure = e;
        return e;
    }

    private <K, V> ConsumerRecord<K, V> toConsumerRecord(Record record, Deserializer<K> keys, Deserializer<V> values) {
        K key;
        V value;
        try {
            key = keys.deserialize(tp.topic(), record.key());
            value = values.deserialize(tp.topic(), record.value());
        } catch (RuntimeException e) {
            throw new RecordDeserializationException(tp, record.offset(), "cannot deserialize the record at offset "
                    + record.offset() + " of " + tp + ": " + e + "; seek to offset " + (record.offset() + 1)
                    + " to skip it, or fix the deserializer", e);
        }
        return new ConsumerRecord<>(tp.topic(), tp.partition(), record.offset(), record.timestamp(),
                batchLogAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                record.key() == null ? -1 : record.key().length, record.value() == null ? -1 : record.value().length,
                key, value, record.headers(), batchEpoch);
    }
}

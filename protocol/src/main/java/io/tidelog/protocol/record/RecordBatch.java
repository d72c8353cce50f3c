package io.tidelog.protocol.record;

import static io.tidelog.protocol.record.RecordBatchLayout.*;

import io.tidelog.protocol.types.MalformedVarintException;
import io.tidelog.protocol.types.Varint;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.zip.CRC32C;

/**
 * Flyweight view of one record batch v2 inside a {@link ByteBuffer}. {@link #wrap} points it at a
 * batch; nothing is copied and wrapping the same buffer again allocates nothing. The view never
 * moves the wrapped buffer's position or limit.
 *
 * <p>Invariants: accessors read the header as stored; {@link #validate()} checks, in order, header
 * presence, length bounds, magic, CRC-32C over [21, end), record count = lastOffsetDelta + 1 and,
 * for uncompressed batches, every record's framing and offsetDelta sequence. Only after VALID may a
 * caller trust {@link #sizeInBytes()} to stay inside the buffer.
 *
 * <p>Not thread-safe: one flyweight per thread.
 */
public final class RecordBatch {

    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf;
    private ByteBuffer view;
    private int start;

    /** Points this view at the batch starting at absolute index {@code batchStart} of {@code buf}. */
    public RecordBatch wrap(ByteBuffer buf, int batchStart) {
        if (buf != this.buf) {
            this.buf = buf;
            this.view = buf.duplicate();
        }
        this.start = batchStart;
        return this;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public int start() {
        return start;
    }

    /** Bytes of the wrapped buffer from the batch start to its limit. */
    public int available() {
        return buf.limit() - start;
    }

    public long baseOffset() {
        return RecordBatchLayout.baseOffset(buf, start);
    }

    public int batchLength() {
        return RecordBatchLayout.batchLength(buf, start);
    }

    public int sizeInBytes() {
        return RecordBatchLayout.sizeInBytes(buf, start);
    }

    public int partitionLeaderEpoch() {
        return RecordBatchLayout.partitionLeaderEpoch(buf, start);
    }

    public byte magic() {
        return RecordBatchLayout.magic(buf, start);
    }

    public long storedCrc() {
        return RecordBatchLayout.crc(buf, start);
    }

    public short attributes() {
        return RecordBatchLayout.attributes(buf, start);
    }

    public int compressionCodec() {
        return attributes() & COMPRESSION_CODEC_MASK;
    }

    public boolean isCompressed() {
        return compressionCodec() != 0;
    }

    public boolean isLogAppendTime() {
        return (attributes() & LOG_APPEND_TIME_FLAG) != 0;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_FLAG) != 0;
    }

    public int lastOffsetDelta() {
        return RecordBatchLayout.lastOffsetDelta(buf, start);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset right after this batch: lastOffset() + 1. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return RecordBatchLayout.baseTimestamp(buf, start);
    }

    public long maxTimestamp() {
        return RecordBatchLayout.maxTimestamp(buf, start);
    }

    public long producerId() {
        return RecordBatchLayout.producerId(buf, start);
    }

    public short producerEpoch() {
        return RecordBatchLayout.producerEpoch(buf, start);
    }

    public int baseSequence() {
        return RecordBatchLayout.baseSequence(buf, start);
    }

    /** Sequence of the last record, wrapping at Integer.MAX_VALUE like Kafka; NO_SEQUENCE if none. */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public int recordsCount() {
        return RecordBatchLayout.recordsCount(buf, start);
    }

    /** Rewrites baseOffset in place; the CRC does not cover it. */
    public void setBaseOffset(long baseOffset) {
        RecordBatchLayout.setBaseOffset(buf, start, baseOffset);
    }

    /** Stamps partitionLeaderEpoch in place; the CRC does not cover it. */
    public void setPartitionLeaderEpoch(int leaderEpoch) {
        RecordBatchLayout.setPartitionLeaderEpoch(buf, start, leaderEpoch);
    }

    /**
     * Turns the batch into a LogAppendTime batch stamped with {@code timestamp}: sets the
     * attribute bit and maxTimestamp (both inside the CRC) and rewrites the CRC. Call only on a
     * batch that validated.
     */
    public void stampLogAppendTime(long timestamp) {
        buf.putShort(start + ATTRIBUTES_OFFSET, (short) (attributes() | LOG_APPEND_TIME_FLAG));
        buf.putLong(start + MAX_TIMESTAMP_OFFSET, timestamp);
        buf.putInt(start + CRC_OFFSET, (int) computeCrc());
    }

    /** CRC-32C of bytes [21, end) as declared by batchLength; call only after the length was checked. */
    public long computeCrc() {
        int end = start + sizeInBytes();
        crc.reset();
        view.limit(end).position(start + CRC_START);
        crc.update(view);
        view.clear();
        return crc.getValue();
    }

    /**
     * Header-only checks (presence, length bounds, magic): enough to walk a buffer batch by batch.
     * Does not read past the header.
     */
    public BatchValidation validateHeader() {
        int available = available();
        if (available < HEADER_SIZE) {
            return BatchValidation.TRUNCATED_HEADER;
        }
        int length = batchLength();
        if (length < HEADER_SIZE - LOG_OVERHEAD || length > available - LOG_OVERHEAD) {
            return BatchValidation.LENGTH_OUT_OF_BOUNDS;
        }
        if (magic() != MAGIC_V2) {
            return BatchValidation.BAD_MAGIC;
        }
        return BatchValidation.VALID;
    }

    /**
     * Header checks plus the CRC-32C: what a reader can demand of any batch a broker serves. A
     * batch rewritten by compaction keeps its base offset and lastOffsetDelta while records leave
     * it, so its record count and offset deltas are not checked here. Allocates nothing.
     */
    public BatchValidation validateIntegrity() {
        BatchValidation header = validateHeader();
        if (!header.isValid()) {
            return header;
        }
        return computeCrc() == storedCrc() ? BatchValidation.VALID : BatchValidation.CRC_MISMATCH;
    }

    /** Full validation of a batch as a producer writes it; allocates nothing. */
    public BatchValidation validate() {
        return validate(false);
    }

    /**
     * Full validation of a batch compaction may have rewritten: it keeps its baseOffset and
     * lastOffsetDelta but may hold fewer records, {@code 0 <= recordsCount <= lastOffsetDelta + 1},
     * whose offsetDeltas strictly increase inside [0, lastOffsetDelta]. Everything else is checked
     * as in {@link #validate()}. Allocates nothing.
     */
    public BatchValidation validateCompacted() {
        return validate(true);
    }

    private BatchValidation validate(boolean compacted) {
        BatchValidation header = validateHeader();
        if (!header.isValid()) {
            return header;
        }
        if (computeCrc() != storedCrc()) {
            return BatchValidation.CRC_MISMATCH;
        }
        int lastOffsetDelta = lastOffsetDelta();
        int count = recordsCount();
        if (lastOffsetDelta < 0 || count < 0 || (compacted ? count > lastOffsetDelta + 1 : count != lastOffsetDelta + 1)) {
            return BatchValidation.RECORD_COUNT_MISMATCH;
        }
        if (!isCompressed() && !recordsWellFormed(compacted)) {
            return BatchValidation.INVALID_RECORD;
        }
        return BatchValidation.VALID;
    }

    /** Record framing, and offsetDeltas 0, 1, 2... (or, compacted, increasing up to lastOffsetDelta). */
    private boolean recordsWellFormed(boolean compacted) {
        int end = start + sizeInBytes();
        view.limit(end).position(start + RECORDS_OFFSET);
        try {
            int count = recordsCount();
            int lastOffsetDelta = lastOffsetDelta();
            int previous = -1;
            for (int i = 0; i < count; i++) {
                int delta = skipRecord(view, end);
                boolean inSequence = compacted ? delta > previous && delta <= lastOffsetDelta : delta == i;
                if (!inSequence) {
                    return false;
                }
                previous = delta;
            }
            return view.position() == end;
        } catch (BufferUnderflowException | MalformedVarintException | IllegalArgumentException e) {
            return false;
        } finally {
            view.clear();
        }
    }

    /** Skips one record; returns its offsetDelta, or -1 when its framing is broken. */
    private static int skipRecord(ByteBuffer in, int end) {
        int length = Varint.readVarint(in);
        int recordStart = in.position();
        if (length <= 0 || length > end - recordStart) {
            return -1;
        }
        in.get(); // attributes
        Varint.readVarlong(in); // timestampDelta
        int offsetDelta = Varint.readVarint(in);
        if (offsetDelta < 0) {
            return -1;
        }
        if (!skipBytes(in, Varint.readVarint(in), true) || !skipBytes(in, Varint.readVarint(in), true)) {
            return -1;
        }
        int headers = Varint.readVarint(in);
        if (headers < 0) {
            return -1;
        }
        for (int h = 0; h < headers; h++) {
            if (!skipBytes(in, Varint.readVarint(in), false) || !skipBytes(in, Varint.readVarint(in), true)) {
                return -1;
            }
        }
        return in.position() == recordStart + length ? offsetDelta : -1;
    }

    private static boolean skipBytes(ByteBuffer in, int length, boolean nullable) {
        if (length < (nullable ? -1 : 0) || length > in.remaining()) {
            return false;
        }
        if (length > 0) {
            in.position(in.position() + length);
        }
        return true;
    }

    /**
     * Decodes every record of an uncompressed batch (control path: allocates). Call only on a
     * batch that validated.
     *
     * @throws IllegalStateException if the batch is compressed
     */
    public List<Record> records() {
        if (isCompressed()) {
            throw new IllegalStateException("batch is compressed with codec " + compressionCodec());
        }
        int end = start + sizeInBytes();
        ByteBuffer in = buf.duplicate();
        in.limit(end).position(start + RECORDS_OFFSET);
        return decode(in);
    }

    /**
     * Decodes every record; a compressed batch's block is handed to {@code decompressor} (codec,
     * compressed bytes) which returns the uncompressed records section.
     */
    public List<Record> records(BiFunction<Integer, ByteBuffer, ByteBuffer> decompressor) {
        if (!isCompressed()) {
            return records();
        }
        ByteBuffer block = buf.duplicate();
        block.limit(start + sizeInBytes()).position(start + RECORDS_OFFSET);
        return decode(decompressor.apply(compressionCodec(), block.slice().asReadOnlyBuffer()));
    }

    private List<Record> decode(ByteBuffer in) {
        int count = recordsCount();
        List<Record> records = new ArrayList<>(count);
        long baseOffset = baseOffset();
        long baseTimestamp = baseTimestamp();
        boolean logAppendTime = isLogAppendTime();
        for (int i = 0; i < count; i++) {
            records.add(readRecord(in, baseOffset, baseTimestamp, logAppendTime ? maxTimestamp() : NO_TIMESTAMP));
        }
        return records;
    }

    private static Record readRecord(ByteBuffer in, long baseOffset, long baseTimestamp, long logAppendTime) {
        Varint.readVarint(in); // length
        in.get(); // attributes
        long timestampDelta = Varint.readVarlong(in);
        int offsetDelta = Varint.readVarint(in);
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        int headerCount = Varint.readVarint(in);
        List<Header> headers = new ArrayList<>(headerCount);
        for (int h = 0; h < headerCount; h++) {
            String headerKey = new String(readBytes(in), StandardCharsets.UTF_8);
            headers.add(new Header(headerKey, readBytes(in)));
        }
        long timestamp = logAppendTime != NO_TIMESTAMP ? logAppendTime : baseTimestamp + timestampDelta;
        return new Record(baseOffset + offsetDelta, timestamp, key, value, headers);
    }

    private static byte[] readBytes(ByteBuffer in) {
        int length = Varint.readVarint(in);
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** A read-only view of exactly this batch's bytes (position 0, limit sizeInBytes). */
    public ByteBuffer slice() {
        ByteBuffer dup = buf.duplicate();
        dup.limit(start + sizeInBytes()).position(start);
        return dup.slice().asReadOnlyBuffer();
    }

    @Override
    public String toString() {
        if (available() < HEADER_SIZE) {
            return "RecordBatch(truncated, " + available() + " bytes)";
        }
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffsetDelta=" + lastOffsetDelta()
                + ", size=" + sizeInBytes() + ", epoch=" + partitionLeaderEpoch() + ", producerId=" + producerId() + ")";
    }
}

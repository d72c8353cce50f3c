package io.tidelog.broker.log;

import io.tidelog.protocol.types.Varint;
import java.nio.ByteBuffer;

/**
 * Walks the records of an uncompressed records section (of a batch v2, or of a decompressed
 * block) without allocating: after {@link #next()} returned true, the fields describe one record
 * by absolute positions in the wrapped buffer.
 *
 * <p>Record framing (all varints zig-zag): {@code length, attributes (1 byte), timestampDelta,
 * offsetDelta, keyLength, key, valueLength, value, headerCount, headers}. A length of -1 is null.
 *
 * <p>Invariant: after {@code next()} returned true, [{@link #recordStart()}, {@link #recordEnd()})
 * is the whole record including its length prefix, inside [start, end) of {@link #reset}.
 * Malformed bytes throw (IllegalArgumentException, BufferUnderflowException or
 * MalformedVarintException): callers that meet untrusted bytes catch them. Not thread-safe.
 */
final class RecordCursor {

    private ByteBuffer view;
    private ByteBuffer source;
    private int end;
    private int remaining;
    private int recordStart;
    private int recordEnd;
    private int offsetDelta;
    private int keyPosition;
    private int keyLength;
    private int valueLength;

    /** Points the cursor at {@code count} records in [start, end) of {@code buf}. */
    RecordCursor reset(ByteBuffer buf, int start, int end, int count) {
        if (buf != source) {
            source = buf;
            view = buf.duplicate();
        }
        view.limit(end).position(start);
        this.end = end;
        this.remaining = count;
        return this;
    }

    /** Advances to the next record; false when {@code count} records were read. */
    boolean next() {
        if (remaining == 0) {
            return false;
        }
        remaining--;
        recordStart = view.position();
        int length = Varint.readVarint(view);
        int bodyStart = view.position();
        if (length <= 0 || length > end - bodyStart) {
            throw new IllegalArgumentException("record length " + length + " at " + recordStart + " out of bounds");
        }
        recordEnd = bodyStart + length;
        view.get(); // attributes
        Varint.readVarlong(view); // timestampDelta
        offsetDelta = Varint.readVarint(view);
        keyLength = Varint.readVarint(view);
        keyPosition = view.position();
        skip(keyLength, true);
        valueLength = Varint.readVarint(view);
        skip(valueLength, true);
        int headers = Varint.readVarint(view);
        if (headers < 0) {
            throw new IllegalArgumentException("negative header count at " + recordStart);
        }
        for (int h = 0; h < headers; h++) {
            skip(Varint.readVarint(view), false);
            skip(Varint.readVarint(view), true);
        }
        if (view.position() != recordEnd) {
            throw new IllegalArgumentException("record at " + recordStart + " does not end at its declared length");
        }
        return true;
    }

    private void skip(int length, boolean nullable) {
        if (length < (nullable ? -1 : 0) || length > view.remaining()) {
            throw new IllegalArgumentException("field length " + length + " out of bounds");
        }
        if (length > 0) {
            view.position(view.position() + length);
        }
    }

    /** Position after the last record read. */
    int position() {
        return view.position();
    }

    int recordStart() {
        return recordStart;
    }

    int recordEnd() {
        return recordEnd;
    }

    int offsetDelta() {
        return offsetDelta;
    }

    /** -1 for a null key. */
    int keyLength() {
        return keyLength;
    }

    int keyPosition() {
        return keyPosition;
    }

    /** -1 for a null value: a tombstone in a compacted topic. */
    int valueLength() {
        return valueLength;
    }
}

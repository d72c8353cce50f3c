package io.tidelog.protocol.types;

import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.Records;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Bounds-checked reading of protocol fields from a {@link ByteBuffer}, advancing its position.
 *
 * <p>Invariants: every read first checks that the bytes it needs are there; every length taken
 * from the wire (string, bytes, records, array count, tagged field size) is checked against the
 * bytes remaining before anything is allocated, so no allocation is larger than the frame; every
 * malformation is a {@link ProtocolDecodeException}. Records are returned as slices of the buffer,
 * not copies.
 *
 * <p>"compact" selects the flexible-version encoding (KIP-482): unsigned varint of length + 1,
 * 0 meaning null, instead of int16/int32 lengths with -1 meaning null.
 */
public final class ProtocolReader {

    private final ByteBuffer buf;

    /** Reads {@code buf} from its position to its limit; reads advance its position. */
    public ProtocolReader(ByteBuffer buf) {
        this.buf = buf;
    }

    public int remaining() {
        return buf.remaining();
    }

    public int position() {
        return buf.position();
    }

    /** Fails unless every byte has been consumed: trailing bytes mean a malformed message. */
    public void requireEnd(String what) {
        if (buf.hasRemaining()) {
            throw new ProtocolDecodeException(what + " has " + buf.remaining() + " unexpected trailing bytes");
        }
    }

    public byte readInt8() {
        require(1, "int8");
        return buf.get();
    }

    public short readInt16() {
        require(2, "int16");
        return buf.getShort();
    }

    public int readUint16() {
        return readInt16() & 0xffff;
    }

    public int readInt32() {
        require(4, "int32");
        return buf.getInt();
    }

    public long readInt64() {
        require(8, "int64");
        return buf.getLong();
    }

    public double readFloat64() {
        require(8, "float64");
        return buf.getDouble();
    }

    public boolean readBool() {
        return readInt8() != 0;
    }

    public UUID readUuid() {
        require(16, "uuid");
        return new UUID(buf.getLong(), buf.getLong());
    }

    public int readUnsignedVarint() {
        try {
            return Varint.readUnsignedVarint(buf);
        } catch (BufferUnderflowException e) {
            throw new ProtocolDecodeException("frame ends inside a varint");
        } catch (MalformedVarintException e) {
            throw new ProtocolDecodeException(e.getMessage(), e);
        }
    }

    public String readString(boolean compact, String field) {
        String value = readNullableString(compact, field);
        if (value == null) {
            throw new ProtocolDecodeException("non-nullable string " + field + " was null");
        }
        return value;
    }

    public String readNullableString(boolean compact, String field) {
        int length = compact ? readCompactLength() : readInt16();
        if (length < 0) {
            checkNullLength(length, field);
            return null;
        }
        requireLength(length, field);
        String value;
        if (buf.hasArray()) {
            value = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            buf.get(buf.position(), bytes);
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        buf.position(buf.position() + length);
        return value;
    }

    public byte[] readBytes(boolean compact, String field) {
        byte[] value = readNullableBytes(compact, field);
        if (value == null) {
            throw new ProtocolDecodeException("non-nullable bytes " + field + " were null");
        }
        return value;
    }

    public byte[] readNullableBytes(boolean compact, String field) {
        int length = compact ? readCompactLength() : readInt32();
        if (length < 0) {
            checkNullLength(length, field);
            return null;
        }
        requireLength(length, field);
        byte[] value = new byte[length];
        buf.get(value);
        return value;
    }

    /** Records as a slice of the underlying buffer (no copy), or null. */
    public Records readNullableRecords(boolean compact, String field) {
        int length = compact ? readCompactLength() : readInt32();
        if (length < 0) {
            checkNullLength(length, field);
            return null;
        }
        requireLength(length, field);
        MemoryRecords records = MemoryRecords.wrap(buf.slice(buf.position(), length));
        buf.position(buf.position() + length);
        return records;
    }

    /**
     * An array's element count, or -1 for a null array. The count is checked against the bytes
     * left, assuming each element takes at least {@code minElementSize} bytes (at least 1), so the
     * caller may size a list by it.
     */
    public int readArrayLength(boolean compact, int minElementSize, String field) {
        int count = compact ? readCompactLength() : readInt32();
        if (count < 0) {
            checkNullLength(count, field);
            return -1;
        }
        long needed = (long) count * Math.max(1, minElementSize);
        if (needed > buf.remaining()) {
            throw new ProtocolDecodeException("array " + field + " claims " + count + " elements but only "
                    + buf.remaining() + " bytes remain");
        }
        return count;
    }

    /** Number of tagged fields that follow; each takes at least two bytes (tag and size). */
    public int readTaggedFieldCount() {
        int count = readUnsignedVarint();
        if (count < 0 || (long) count * 2 > buf.remaining()) {
            throw new ProtocolDecodeException("tagged field count " + Integer.toUnsignedString(count)
                    + " exceeds the " + buf.remaining() + " bytes remaining");
        }
        return count;
    }

    /**
     * Reads a tagged field's size and narrows the limit to its bytes so the value cannot be read
     * past them. Returns the limit to hand back to {@link #endTaggedField(int, int)}.
     */
    public int beginTaggedField(int tag) {
        int size = readTaggedFieldSize(tag);
        int outerLimit = buf.limit();
        buf.limit(buf.position() + size);
        return outerLimit;
    }

    /** Checks the tagged field's value used exactly its declared size and restores the limit. */
    public void endTaggedField(int tag, int outerLimit) {
        if (buf.hasRemaining()) {
            throw new ProtocolDecodeException("tagged field " + tag + " has " + buf.remaining()
                    + " bytes beyond its value");
        }
        buf.limit(outerLimit);
    }

    /** Skips the value of a tagged field this version does not know. */
    public void skipTaggedField(int tag) {
        int size = readTaggedFieldSize(tag);
        buf.position(buf.position() + size);
    }

    /** Skips every tagged field of a struct that has no known ones. */
    public void skipTaggedFields() {
        int count = readTaggedFieldCount();
        for (int i = 0; i < count; i++) {
            skipTaggedField(readUnsignedVarint());
        }
    }

    private int readTaggedFieldSize(int tag) {
        int size = readUnsignedVarint();
        if (size < 0 || size > buf.remaining()) {
            throw new ProtocolDecodeException("tagged field " + Integer.toUnsignedString(tag) + " claims "
                    + Integer.toUnsignedString(size) + " bytes but only " + buf.remaining() + " remain");
        }
        return size;
    }

    private int readCompactLength() {
        int lengthPlusOne = readUnsignedVarint();
        if (lengthPlusOne < 0) {
            throw new ProtocolDecodeException("compact length " + Integer.toUnsignedString(lengthPlusOne)
                    + " is out of range");
        }
        return lengthPlusOne - 1;
    }

    private static void checkNullLength(int length, String field) {
        if (length != -1) {
            throw new ProtocolDecodeException(field + " has negative length " + length);
        }
    }

    private void requireLength(int length, String field) {
        if (length > buf.remaining()) {
            throw new ProtocolDecodeException(field + " claims " + length + " bytes but only "
                    + buf.remaining() + " remain");
        }
    }

    private void require(int bytes, String type) {
        if (buf.remaining() < bytes) {
            throw new ProtocolDecodeException("frame ends inside an " + type + " at position " + buf.position());
        }
    }
}

package io.tidelog.protocol.types;

import io.tidelog.protocol.frame.EncodedFrame;
import io.tidelog.protocol.record.Records;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes protocol fields into one buffer sized up front (see {@link MessageSize}), and records
 * payloads as separate parts: the encoding is an ordered list of slices of that buffer
 * interleaved with {@link Records}, so records bytes are never copied (nor read, for file
 * regions).
 *
 * <p>Invariant: the buffer's bytes {@code [0, cut)} are already covered by emitted parts; bytes
 * {@code [cut, position)} will become the next part.
 *
 * <p>The static {@code sizeOf*} methods give the exact sizes the {@code write*} methods produce.
 */
public final class ProtocolWriter {

    /** Longest string (in UTF-8 bytes) Kafka serializes, compact or not. */
    public static final int MAX_STRING_BYTES = 0x7fff;

    private final ByteBuffer buf;
    private final List<Object> parts = new ArrayList<>(4);
    private int cut;

    /** Writes into {@code buf} from position 0; its capacity must be the fields' exact size. */
    public ProtocolWriter(ByteBuffer buf) {
        this.buf = buf;
        this.cut = buf.position();
    }

    public void writeInt8(byte value) {
        buf.put(value);
    }

    public void writeInt16(short value) {
        buf.putShort(value);
    }

    public void writeUint16(int value) {
        buf.putShort((short) value);
    }

    public void writeInt32(int value) {
        buf.putInt(value);
    }

    public void writeInt64(long value) {
        buf.putLong(value);
    }

    public void writeFloat64(double value) {
        buf.putDouble(value);
    }

    public void writeBool(boolean value) {
        buf.put((byte) (value ? 1 : 0));
    }

    public void writeUuid(UUID value) {
        buf.putLong(value.getMostSignificantBits());
        buf.putLong(value.getLeastSignificantBits());
    }

    public void writeUnsignedVarint(int value) {
        Varint.writeUnsignedVarint(value, buf);
    }

    public void writeNullableString(String value, boolean compact) {
        if (value == null) {
            writeNullLength(compact, false);
            return;
        }
        int length = Utf8.encodedLength(value);
        writeLength(length, compact, false);
        Utf8.write(value, buf);
    }

    public void writeNullableBytes(byte[] value, boolean compact) {
        if (value == null) {
            writeNullLength(compact, true);
            return;
        }
        writeLength(value.length, compact, true);
        buf.put(value);
    }

    /** Writes the length prefix, then the records as their own part (not copied). */
    public void writeNullableRecords(Records records, boolean compact) {
        if (records == null) {
            writeNullLength(compact, true);
            return;
        }
        int size = records.sizeInBytes();
        writeLength(size, compact, true);
        if (size > 0) {
            emitBufferPart();
            parts.add(records);
        }
    }

    /** Writes an array's element count; -1 writes a null array. */
    public void writeArrayLength(int count, boolean compact) {
        if (count < 0) {
            writeNullLength(compact, true);
        } else {
            writeLength(count, compact, true);
        }
    }

    /** Ends the encoding: the parts, in order, covering every byte written. */
    public EncodedFrame finish(int totalSize) {
        if (buf.hasRemaining()) {
            throw new IllegalStateException("encoder wrote " + buf.position() + " bytes into a buffer of "
                    + buf.limit() + ": size and write disagree");
        }
        emitBufferPart();
        return new EncodedFrame(parts.toArray(), totalSize);
    }

    private void emitBufferPart() {
        int position = buf.position();
        if (position > cut) {
            parts.add(buf.slice(cut, position - cut));
            cut = position;
        }
    }

    private void writeLength(int length, boolean compact, boolean int32) {
        if (compact) {
            Varint.writeUnsignedVarint(length + 1, buf);
        } else if (int32) {
            buf.putInt(length);
        } else {
            buf.putShort((short) length);
        }
    }

    private void writeNullLength(boolean compact, boolean int32) {
        if (compact) {
            buf.put((byte) 0);
        } else if (int32) {
            buf.putInt(-1);
        } else {
            buf.putShort((short) -1);
        }
    }

    public static int sizeOfUnsignedVarint(int value) {
        return Varint.sizeOfUnsignedVarint(value);
    }

    public static int sizeOfNullableString(String value, boolean compact, String field) {
        if (value == null) {
            return compact ? 1 : 2;
        }
        int length = Utf8.encodedLength(value);
        if (length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string " + field + " is " + length
                    + " bytes, longer than the protocol allows (" + MAX_STRING_BYTES + ")");
        }
        return (compact ? Varint.sizeOfUnsignedVarint(length + 1) : 2) + length;
    }

    public static int sizeOfNullableBytes(byte[] value, boolean compact) {
        if (value == null) {
            return compact ? 1 : 4;
        }
        return (compact ? Varint.sizeOfUnsignedVarint(value.length + 1) : 4) + value.length;
    }

    /** Size of the records' length prefix only; the payload is counted with {@link MessageSize#addRecords}. */
    public static int sizeOfRecordsLength(Records records, boolean compact) {
        if (records == null) {
            return compact ? 1 : 4;
        }
        return compact ? Varint.sizeOfUnsignedVarint(records.sizeInBytes() + 1) : 4;
    }

    public static int sizeOfArrayLength(int count, boolean compact) {
        if (count < 0) {
            return compact ? 1 : 4;
        }
        return compact ? Varint.sizeOfUnsignedVarint(count + 1) : 4;
    }
}

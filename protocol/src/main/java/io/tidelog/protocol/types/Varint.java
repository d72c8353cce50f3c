package io.tidelog.protocol.types;

import java.nio.ByteBuffer;

/**
 * Variable-length integers as Kafka encodes them: 7 bits a byte, least significant group first,
 * high bit set on every byte but the last.
 *
 * <p>Two flavours that must never be mixed up:
 * <ul>
 *   <li><b>unsigned</b> ({@code readUnsignedVarint}): the protocol's compact lengths, array sizes
 *       and tagged-field headers (KIP-482);</li>
 *   <li><b>zig-zag signed</b> ({@code readVarint}, {@code readVarlong}): every varint inside a
 *       record of a record batch v2 (lengths, deltas, header counts), so that -1 is one byte.</li>
 * </ul>
 * Readers throw {@link MalformedVarintException} for a varint longer than its type allows and
 * {@link java.nio.BufferUnderflowException} when the buffer ends mid-varint; neither ever allocates.
 */
public final class Varint {

    private Varint() {
    }

    public static int readUnsignedVarint(ByteBuffer buf) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = buf.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 28 && (b & 0xf0) != 0) {
                    throw new MalformedVarintException("unsigned varint does not fit in 32 bits");
                }
                return value;
            }
        }
        throw new MalformedVarintException("unsigned varint longer than 5 bytes");
    }

    public static long readUnsignedVarlong(ByteBuffer buf) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = buf.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 63 && (b & 0x7e) != 0) {
                    throw new MalformedVarintException("unsigned varlong does not fit in 64 bits");
                }
                return value;
            }
        }
        throw new MalformedVarintException("unsigned varlong longer than 10 bytes");
    }

    public static int readVarint(ByteBuffer buf) {
        int raw = readUnsignedVarint(buf);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static long readVarlong(ByteBuffer buf) {
        long raw = readUnsignedVarlong(buf);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static void writeUnsignedVarint(int value, ByteBuffer buf) {
        while ((value & 0xffffff80) != 0) {
            buf.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        buf.put((byte) value);
    }

    public static void writeUnsignedVarlong(long value, ByteBuffer buf) {
        while ((value & 0xffffffffffffff80L) != 0L) {
            buf.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        buf.put((byte) value);
    }

    public static void writeVarint(int value, ByteBuffer buf) {
        writeUnsignedVarint((value << 1) ^ (value >> 31), buf);
    }

    public static void writeVarlong(long value, ByteBuffer buf) {
        writeUnsignedVarlong((value << 1) ^ (value >> 63), buf);
    }

    public static int sizeOfUnsignedVarint(int value) {
        // 1 byte per started group of 7 bits; 0 still takes one byte.
        int bits = 32 - Integer.numberOfLeadingZeros(value);
        return Math.max(1, (bits + 6) / 7);
    }

    public static int sizeOfUnsignedVarlong(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value);
        return Math.max(1, (bits + 6) / 7);
    }

    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
    }

    public static int sizeOfVarlong(long value) {
        return sizeOfUnsignedVarlong((value << 1) ^ (value >> 63));
    }
}

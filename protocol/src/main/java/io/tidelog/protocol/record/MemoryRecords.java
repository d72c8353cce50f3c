package io.tidelog.protocol.record;

import java.nio.ByteBuffer;

/**
 * Record-batch bytes held in memory: bytes {@code [0, limit)} of a buffer that is usually a slice
 * of the received frame (decoding a Produce request copies nothing).
 *
 * <p>Invariant: the wrapped buffer has position 0 and is never moved by this class; callers get
 * duplicates, so reading them cannot disturb other readers. The bytes belong to whoever owns the
 * frame buffer: a slice of a pooled network buffer is valid only until that buffer is released.
 */
public final class MemoryRecords implements Records {

    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;

    private MemoryRecords(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** Wraps bytes {@code [position, limit)} of {@code buffer} without copying them. */
    public static MemoryRecords wrap(ByteBuffer buffer) {
        return new MemoryRecords(buffer.slice());
    }

    /** Wraps {@code bytes} without copying them. */
    public static MemoryRecords wrap(byte[] bytes) {
        return new MemoryRecords(ByteBuffer.wrap(bytes));
    }

    @Override
    public int sizeInBytes() {
        return buffer.limit();
    }

    /** The bytes, as a new view with position 0 and limit {@link #sizeInBytes()}. */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MemoryRecords && buffer.equals(((MemoryRecords) other).buffer);
    }

    @Override
    public int hashCode() {
        return buffer.hashCode();
    }

    @Override
    public String toString() {
        return "MemoryRecords(" + buffer.limit() + " bytes)";
    }
}

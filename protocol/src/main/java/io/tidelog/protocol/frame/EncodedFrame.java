package io.tidelog.protocol.frame;

import io.tidelog.protocol.record.FileRegionRecords;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.Records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * One encoded frame (4-byte size prefix, header, body) as an ordered list of parts: slices of a
 * single buffer holding every encoded field, interleaved with the {@link Records} payloads those
 * fields frame. Sending the parts in order puts exactly {@link #sizeInBytes()} bytes on the wire.
 *
 * <p>Nothing here has read a {@link FileRegionRecords}: the network layer writes buffer parts
 * and hands file regions to sendfile. Buffer parts are views of the encoder's buffer; consumers
 * must not modify them.
 */
public final class EncodedFrame {

    /** Receives the parts of a frame in wire order. */
    public interface PartConsumer {
        void buffer(ByteBuffer bytes);

        void records(Records records);
    }

    private final Object[] parts;
    private final int sizeInBytes;

    /** @param parts {@link ByteBuffer}s and {@link Records}, in wire order */
    public EncodedFrame(Object[] parts, int sizeInBytes) {
        this.parts = parts;
        this.sizeInBytes = sizeInBytes;
    }

    /** Total bytes on the wire, the 4-byte size prefix included. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    public int partCount() {
        return parts.length;
    }

    /** Part {@code index}: a {@link ByteBuffer} (duplicate, position 0) or a {@link Records}. */
    public Object part(int index) {
        Object part = parts[index];
        return part instanceof ByteBuffer ? ((ByteBuffer) part).duplicate() : part;
    }

    public void forEachPart(PartConsumer consumer) {
        for (Object part : parts) {
            if (part instanceof ByteBuffer) {
                consumer.buffer(((ByteBuffer) part).duplicate());
            } else {
                consumer.records((Records) part);
            }
        }
    }

    /**
     * Copies the whole frame into one heap buffer (file regions are read). For clients and tests;
     * the broker sends parts instead.
     */
    public ByteBuffer toByteBuffer() {
        ByteBuffer out = ByteBuffer.allocate(sizeInBytes);
        for (Object part : parts) {
            if (part instanceof ByteBuffer) {
                out.put(((ByteBuffer) part).duplicate());
            } else if (part instanceof MemoryRecords) {
                out.put(((MemoryRecords) part).buffer());
            } else if (part instanceof FileRegionRecords) {
                try {
                    ((FileRegionRecords) part).readInto(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                throw new IllegalStateException("cannot copy records of type " + part.getClass().getName());
            }
        }
        return out.flip();
    }
}

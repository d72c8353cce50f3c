package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MappedFile} on one {@link MappedByteBuffer} from {@link FileChannel#map}.
 *
 * <p>Invariants, beyond those of {@link MappedFile}:
 * <ul>
 *   <li>One mapping of the whole file, so capacity is at most {@link Integer#MAX_VALUE} bytes
 *       (a {@code MappedByteBuffer} is int-indexed; Kafka's {@code log.segment.bytes} is an int too).</li>
 *   <li>Multi-byte values are big-endian, as everywhere in the Kafka formats.</li>
 *   <li>{@link #force} may run on any thread (a flusher) while the owner writes: it only asks the
 *       kernel to write back, it does not read or write the mapped bytes.</li>
 *   <li>{@link #close()} unmaps at once ({@link MappedFileUnmapper}), not at some later GC (unless
 *       the JVM runs with {@code --sun-misc-unsafe-memory-access=deny}, see there). A
 *       concurrent call racing with close is a caller bug (segments are reference-counted so that
 *       close happens after the last use); calls that start after close throw
 *       {@link IllegalStateException} and never touch the unmapped memory.</li>
 * </ul>
 */
final class NioMappedFile implements MappedFile {

    private static final Logger LOG = LoggerFactory.getLogger(NioMappedFile.class);

    private final Path path;
    private final long capacity;
    private final FileChannel channel;
    private final MappedByteBuffer buffer;
    private final BlockReservation reservation;
    private volatile boolean closed;

    private NioMappedFile(Path path, long capacity, FileChannel channel, MappedByteBuffer buffer,
                          BlockReservation reservation) {
        this.path = path;
        this.capacity = capacity;
        this.channel = channel;
        this.buffer = buffer;
        this.reservation = reservation;
    }

    static NioMappedFile open(Path path, long capacity, long backedUpTo) throws IOException {
        MappedFileSizing.SizedChannel sized = MappedFileSizing.openSized(path, capacity);
        FileChannel channel = sized.channel();
        try {
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
            return new NioMappedFile(path, capacity, channel, buffer,
                    new BlockReservation(channel, capacity, sized.previousLength(), backedUpTo));
        } catch (IOException | RuntimeException e) {
            MappedFileSizing.closeAfterFailure(channel, e);
            throw e;
        }
    }

    @Override
    public Path path() {
        ensureOpen();
        return path;
    }

    @Override
    public long capacity() {
        ensureOpen();
        return capacity;
    }

    @Override
    public void write(long position, ByteBuffer src) {
        ensureOpen();
        int length = src.remaining();
        Objects.checkFromIndexSize(position, length, capacity);
        reservation.noteWrite(position + length);
        buffer.put((int) position, src, src.position(), length);
    }

    @Override
    public void read(long position, ByteBuffer dst) {
        ensureOpen();
        int length = dst.remaining();
        Objects.checkFromIndexSize(position, length, capacity);
        int dstPosition = dst.position();
        dst.put(dstPosition, buffer, (int) position, length);
        dst.position(dstPosition + length);
    }

    @Override
    public void putInt(long position, int value) {
        ensureOpen();
        Objects.checkFromIndexSize(position, Integer.BYTES, capacity);
        reservation.noteWrite(position + Integer.BYTES);
        buffer.putInt((int) position, value);
    }

    @Override
    public int getInt(long position) {
        ensureOpen();
        Objects.checkFromIndexSize(position, Integer.BYTES, capacity);
        return buffer.getInt((int) position);
    }

    @Override
    public void putLong(long position, long value) {
        ensureOpen();
        Objects.checkFromIndexSize(position, Long.BYTES, capacity);
        reservation.noteWrite(position + Long.BYTES);
        buffer.putLong((int) position, value);
    }

    @Override
    public long getLong(long position) {
        ensureOpen();
        Objects.checkFromIndexSize(position, Long.BYTES, capacity);
        return buffer.getLong((int) position);
    }

    @Override
    public void reserve(long upTo) throws IOException {
        ensureOpen();
        reservation.reserve(upTo);
    }

    @Override
    public void force(long upTo) throws IOException {
        ensureOpen();
        Objects.checkFromToIndex(0, upTo, capacity);
        if (upTo > 0) {
            buffer.force(0, (int) upTo);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            MappedFileUnmapper.unmap(buffer);
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                // the mapping is gone and nothing was pending on the channel; only the descriptor may leak
                LOG.warn("closing {} failed; its file descriptor may leak", path, e);
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("mapped file " + path + " is closed");
        }
    }

    @Override
    public String toString() {
        return "NioMappedFile[" + path + ", capacity=" + capacity + (closed ? ", closed]" : "]");
    }
}

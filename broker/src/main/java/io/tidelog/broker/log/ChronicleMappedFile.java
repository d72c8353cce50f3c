package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.Jvm;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.core.io.ReferenceOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MappedFile} on Chronicle Bytes: a {@link net.openhft.chronicle.bytes.MappedFile} with one
 * chunk as large as the file, accessed through its {@link MappedBytesStore} by absolute offsets.
 *
 * <p>Why the store and not a {@code MappedBytes}: a {@code MappedBytes} is a cursor (read and write
 * positions, limits) confined to one thread. Measured with chronicle-bytes 2026.4: a write from a
 * second thread throws {@code ThreadingIllegalStateException} unless the check is reset at every
 * hand-off, an absolute {@code read(long, byte[], int, int)} fails beyond the cursor's read limit,
 * and {@code close()} leaves the mapping in place until Chronicle's background releaser runs. The
 * store has none of these: it is the mapped memory itself, readable from any thread, which is
 * what this interface (single writer with explicit hand-off, readers anywhere) needs.
 *
 * <p>Invariants, beyond those of {@link MappedFile}:
 * <ul>
 *   <li>Capacity at most {@link Integer#MAX_VALUE} bytes, the same limit as the NIO backend so the
 *       two stay interchangeable.</li>
 *   <li>Multi-byte values are big-endian (Chronicle's native order is swapped on little-endian
 *       CPUs), so a file written by one backend reads the same through the other.</li>
 *   <li>The file stays exactly {@code capacity} bytes: Chronicle grows a file to a whole number of
 *       pages when it maps it; open trims that back. Bytes between the capacity and the end of the
 *       last page are never touched (every access is bounds-checked against the capacity).</li>
 *   <li>{@link #close()} returns only after the mapping is gone: it releases the store and the
 *       Chronicle file, then drains Chronicle's background releaser, which would otherwise unmap
 *       later on its own thread.</li>
 *   <li>No msync on close ({@link SyncMode#NONE}): durability is {@link #force}'s job alone, and
 *       {@link #force} may run on any thread (a flusher) while the owner writes.</li>
 *   <li>Needs the JVM flags of the root pom ({@code tidelog.jvm.flags}, plus on Java 23+
 *       {@code --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow}).</li>
 * </ul>
 */
final class ChronicleMappedFile implements MappedFile {

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleMappedFile.class);
    private static final boolean SWAP = ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN;

    private final Path path;
    private final long capacity;
    private final FileChannel channel;
    private final net.openhft.chronicle.bytes.MappedFile chronicleFile;
    private final MappedBytesStore store;
    private final ReferenceOwner owner;
    private final BlockReservation reservation;
    private volatile boolean closed;

    private ChronicleMappedFile(Path path, long capacity, FileChannel channel,
                                net.openhft.chronicle.bytes.MappedFile chronicleFile, MappedBytesStore store,
                                ReferenceOwner owner, BlockReservation reservation) {
        this.path = path;
        this.capacity = capacity;
        this.channel = channel;
        this.chronicleFile = chronicleFile;
        this.store = store;
        this.owner = owner;
        this.reservation = reservation;
    }

    static ChronicleMappedFile open(Path path, long capacity, long backedUpTo) throws IOException {
        MappedFileSizing.SizedChannel sized = MappedFileSizing.openSized(path, capacity);
        FileChannel channel = sized.channel();
        net.openhft.chronicle.bytes.MappedFile chronicleFile = null;
        try {
            chronicleFile = net.openhft.chronicle.bytes.MappedFile.of(path.toFile(), capacity, 0, false);
            chronicleFile.syncMode(SyncMode.NONE);
            ReferenceOwner owner = ReferenceOwner.temporary("tidelog-mapped-file:" + path);
            MappedBytesStore store = chronicleFile.acquireByteStore(owner, 0);
            if (channel.size() > capacity) {
                channel.truncate(capacity); // Chronicle rounded the file up to whole pages
            }
            return new ChronicleMappedFile(path, capacity, channel, chronicleFile, store, owner,
                    new BlockReservation(channel, capacity, sized.previousLength(), backedUpTo));
        } catch (IOException | RuntimeException e) {
            if (chronicleFile != null) {
                chronicleFile.releaseLast();
            }
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
        if (src.isDirect()) {
            store.nativeWrite(Jvm.address(src) + src.position(), position, length);
        } else if (src.hasArray()) {
            // not store.write(long, ByteBuffer, ...): for heap buffers it ignores arrayOffset()
            store.write(position, src.array(), src.arrayOffset() + src.position(), length);
        } else {
            writeReadOnlyHeap(position, src, length);
        }
    }

    /** A read-only heap buffer hides its array: copy through the JDK's own bulk get, in pieces. */
    private void writeReadOnlyHeap(long position, ByteBuffer src, int length) {
        byte[] piece = new byte[Math.min(length, 8192)];
        for (int done = 0; done < length; done += piece.length) {
            int n = Math.min(piece.length, length - done);
            src.get(src.position() + done, piece, 0, n);
            store.write(position + done, piece, 0, n);
        }
    }

    @Override
    public void read(long position, ByteBuffer dst) {
        ensureOpen();
        int length = dst.remaining();
        Objects.checkFromIndexSize(position, length, capacity);
        int dstPosition = dst.position();
        if (dst.isDirect()) {
            if (dst.isReadOnly()) {
                throw new java.nio.ReadOnlyBufferException();
            }
            store.nativeRead(position, Jvm.address(dst) + dstPosition, length);
        } else {
            store.read(position, dst.array(), dst.arrayOffset() + dstPosition, length);
        }
        dst.position(dstPosition + length);
    }

    @Override
    public void putInt(long position, int value) {
        ensureOpen();
        Objects.checkFromIndexSize(position, Integer.BYTES, capacity);
        reservation.noteWrite(position + Integer.BYTES);
        store.writeInt(position, SWAP ? Integer.reverseBytes(value) : value);
    }

    @Override
    public int getInt(long position) {
        ensureOpen();
        Objects.checkFromIndexSize(position, Integer.BYTES, capacity);
        int raw = store.readInt(position);
        return SWAP ? Integer.reverseBytes(raw) : raw;
    }

    @Override
    public void putLong(long position, long value) {
        ensureOpen();
        Objects.checkFromIndexSize(position, Long.BYTES, capacity);
        reservation.noteWrite(position + Long.BYTES);
        store.writeLong(position, SWAP ? Long.reverseBytes(value) : value);
    }

    @Override
    public long getLong(long position) {
        ensureOpen();
        Objects.checkFromIndexSize(position, Long.BYTES, capacity);
        long raw = store.readLong(position);
        return SWAP ? Long.reverseBytes(raw) : raw;
    }

    @Override
    public void reserve(long upTo) throws IOException {
        ensureOpen();
        reservation.reserve(upTo);
    }

    /**
     * fdatasync of the whole file. On Linux that writes back pages dirtied through the mapping too
     * (msync(MS_SYNC) is the same operation on a range). Chronicle's own {@code syncUpTo} is not
     * used: it remembers how far it synced and never syncs below that again, which misses bytes
     * rewritten after a truncation.
     */
    @Override
    public void force(long upTo) throws IOException {
        ensureOpen();
        Objects.checkFromToIndex(0, upTo, capacity);
        if (upTo > 0) {
            channel.force(false);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            store.release(owner);
            chronicleFile.releaseLast();
            BackgroundResourceReleaser.releasePendingResources();
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
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
        return "ChronicleMappedFile[" + path + ", capacity=" + capacity + (closed ? ", closed]" : "]");
    }
}

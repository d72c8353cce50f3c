package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A file of fixed capacity, memory-mapped read-write. The active segment and its indexes append
 * through this; readers of sealed data go through {@link java.nio.channels.FileChannel} instead,
 * which stays safe after the mapping is gone.
 *
 * <p>Invariants every implementation keeps:
 * <ul>
 *   <li>The file on disk is exactly {@link #capacity()} bytes long while mapped (preallocated).</li>
 *   <li>Positions are absolute, {@code 0 <= position} and {@code position + length <= capacity()};
 *       anything else throws {@link IndexOutOfBoundsException} and writes nothing.</li>
 *   <li>Single writer: one thread writes; the owner may hand the file to another thread only with a
 *       happens-before edge (e.g. a volatile publish or an executor hand-off).</li>
 *   <li>After {@link #close()} the mapping is released and no method may touch memory again; every
 *       call then throws {@link IllegalStateException}. Closing twice is a no-op.</li>
 * </ul>
 */
public interface MappedFile extends AutoCloseable {

    /** The file this mapping is backed by. */
    Path path();

    /** Mapped length in bytes (the preallocated file size). */
    long capacity();

    /** Copies {@code src.remaining()} bytes to {@code position}; {@code src}'s position is unchanged. */
    void write(long position, ByteBuffer src);

    /** Copies {@code dst.remaining()} bytes from {@code position} into {@code dst}, advancing {@code dst}. */
    void read(long position, ByteBuffer dst);

    /** Multi-byte values are big-endian in every implementation, so either backend reopens the other's files. */
    void putInt(long position, int value);

    int getInt(long position);

    void putLong(long position, long value);

    long getLong(long position);

    /**
     * Makes sure real disk blocks back {@code [0, upTo)} before anything is written there through
     * the mapping. A preallocated file is sparse; writing a hole through a mapping on a full disk
     * raises SIGBUS instead of an error the broker can answer with. Reserving (by writing through
     * the file channel) turns "no space" into this method's {@link IOException}, before any byte
     * of an append is written. Idempotent and cheap for ranges already reserved.
     */
    void reserve(long upTo) throws IOException;

    /** Forces mapped bytes in {@code [0, upTo)} to the storage device (msync). Blocking: never call on an event loop. */
    void force(long upTo) throws IOException;

    /** Unmaps. The file itself stays; callers truncate or delete it afterwards through the file system. */
    @Override
    void close();
}

package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the file behind a {@link MappedFile} and gives it exactly its capacity, the part both
 * backends share.
 *
 * <p>Invariants: a file longer than the requested capacity is never shrunk (that would destroy
 * data; the caller must truncate on purpose); a shorter file is extended sparsely, so the extension
 * reads as zeros and has no disk blocks yet (see {@link BlockReservation}).
 */
final class MappedFileSizing {

    /** The largest capacity either backend maps; {@code log.segment.bytes} is an int, as in Kafka. */
    static final long MAX_CAPACITY = Integer.MAX_VALUE;

    private MappedFileSizing() {
    }

    /**
     * A read-write channel on a file that is exactly {@code capacity} bytes long.
     *
     * @param channel        open, read-write; the caller owns and closes it
     * @param previousLength the file's length before this open (0 if it was created): bytes at or
     *                       beyond it are a fresh hole that nobody has written
     */
    record SizedChannel(FileChannel channel, long previousLength) {
    }

    static void checkCapacity(long capacity) {
        if (capacity <= 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("mapped file capacity must be in [1, " + MAX_CAPACITY
                    + "] bytes (log.segment.bytes is an int), got " + capacity);
        }
    }

    /**
     * Creates the file if missing and sets its length to {@code capacity}.
     *
     * @throws IOException if the file is already longer than {@code capacity} (it is left as it
     *                     was), or the file system fails
     */
    static SizedChannel openSized(Path path, long capacity) throws IOException {
        checkCapacity(capacity);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long previousLength = channel.size();
            if (previousLength > capacity) {
                throw new IOException("refusing to map " + path + " with capacity " + capacity
                        + ": the file is already " + previousLength + " bytes and mapping it would shrink it;"
                        + " truncate it explicitly first if that is intended");
            }
            if (previousLength < capacity) {
                extendSparsely(channel, capacity);
            }
            return new SizedChannel(channel, previousLength);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    /** Writes the last byte only: the file gets its length without allocating the blocks before it. */
    private static void extendSparsely(FileChannel channel, long capacity) throws IOException {
        java.nio.ByteBuffer oneZero = java.nio.ByteBuffer.allocate(1);
        while (oneZero.hasRemaining()) {
            channel.write(oneZero, capacity - 1);
        }
    }

    static void closeAfterFailure(AutoCloseable resource, Throwable failure) {
        try {
            resource.close();
        } catch (Exception suppressed) {
            failure.addSuppressed(suppressed);
        }
    }
}

package io.tidelog.protocol.record;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Record-batch bytes that stay in a segment file: {@code length} bytes of {@code channel} from
 * {@code position}. A Fetch response carries these so the network layer can send them with
 * sendfile; encoding a response never reads them.
 *
 * <p>The channel must stay open until the response has been written; who closes it is the
 * segment's business (segments are reference-counted), not this class's.
 */
public final class FileRegionRecords implements Records {

    private final FileChannel channel;
    private final long position;
    private final int length;

    public FileRegionRecords(FileChannel channel, long position, int length) {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("position " + position + " and length " + length
                    + " must not be negative");
        }
        this.channel = Objects.requireNonNull(channel, "channel");
        this.position = position;
        this.length = length;
    }

    public FileChannel channel() {
        return channel;
    }

    public long position() {
        return position;
    }

    @Override
    public int sizeInBytes() {
        return length;
    }

    /**
     * Copies the region into {@code destination} (positional reads; the channel's own position is
     * untouched). For clients and tests that need the bytes on the heap; the broker sends regions
     * with sendfile instead.
     */
    public void readInto(ByteBuffer destination) throws IOException {
        if (destination.remaining() < length) {
            throw new IllegalArgumentException("destination has " + destination.remaining()
                    + " bytes left, region is " + length);
        }
        ByteBuffer window = destination.slice(destination.position(), length);
        long filePosition = position;
        while (window.hasRemaining()) {
            int read = channel.read(window, filePosition);
            if (read < 0) {
                throw new EOFException("file ends before region [" + position + ", "
                        + (position + length) + ")");
            }
            filePosition += read;
        }
        destination.position(destination.position() + length);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof FileRegionRecords)) {
            return false;
        }
        FileRegionRecords that = (FileRegionRecords) other;
        return channel == that.channel && position == that.position && length == that.length;
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(channel), position, length);
    }

    @Override
    public String toString() {
        return "FileRegionRecords(position=" + position + ", length=" + length + ")";
    }
}

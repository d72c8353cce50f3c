package io.tidelog.broker.log;

import java.nio.channels.FileChannel;

/**
 * Whole batches of one segment, as a file region the network layer sends without copying
 * (sendfile). Holds a reference on its segment so the file stays open and on disk even if
 * retention deletes the segment meanwhile.
 *
 * <p>Ownership: whoever receives a non-empty slice must call {@link #release()} exactly once
 * after the bytes are sent (or dropped); release is idempotent. An empty slice holds nothing.
 */
public final class LogSlice implements AutoCloseable {

    private static final LogSlice EMPTY = new LogSlice(null, null, 0, 0);

    private final LogSegment segment;
    private final FileChannel channel;
    private final long position;
    private final int sizeInBytes;
    private boolean released;

    LogSlice(LogSegment segment, FileChannel channel, long position, int sizeInBytes) {
        this.segment = segment;
        this.channel = channel;
        this.position = position;
        this.sizeInBytes = sizeInBytes;
    }

    public static LogSlice empty() {
        return EMPTY;
    }

    /** The segment file; null when empty. Do not close it: release the slice instead. */
    public FileChannel channel() {
        return channel;
    }

    public long position() {
        return position;
    }

    public int sizeInBytes() {
        return sizeInBytes;
    }

    public boolean isEmpty() {
        return sizeInBytes == 0;
    }

    /** Base offset of the segment the bytes come from, or -1 when empty. */
    public long segmentBaseOffset() {
        return segment == null ? -1 : segment.baseOffset();
    }

    public synchronized void release() {
        if (!released && segment != null) {
            released = true;
            segment.release();
        }
    }

    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return isEmpty() ? "LogSlice(empty)" : "LogSlice(segment=" + segment.baseOffset() + ", position=" + position
                + ", size=" + sizeInBytes + ")";
    }
}

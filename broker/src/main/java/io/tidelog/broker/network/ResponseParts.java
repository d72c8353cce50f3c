package io.tidelog.broker.network;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One encoded response frame as an ordered list of parts: in-memory buffers and file regions,
 * the 4-byte size prefix included (it is the start of the first buffer). The network layer writes
 * the parts in order; file regions go out with sendfile, never copied into the heap.
 *
 * <p>Ownership: the buffers are borrowed until the response is written or dropped; then every
 * {@linkplain #onReleased(Runnable) release action} runs exactly once, on an event loop, whether the
 * write succeeded or failed (this is where log read handles are released).
 */
public final class ResponseParts {

    /** A region of a file sent with sendfile. The channel stays open; it belongs to the log. */
    public record FileSlice(FileChannel channel, long position, long count) {
    }

    private final List<Object> parts = new ArrayList<>(4);
    private final List<Runnable> releaseActions = new ArrayList<>(1);
    private long sizeInBytes;

    public ResponseParts addBuffer(ByteBuffer buffer) {
        if (buffer.hasRemaining()) {
            parts.add(buffer);
            sizeInBytes += buffer.remaining();
        }
        return this;
    }

    public ResponseParts addFileSlice(FileChannel channel, long position, long count) {
        if (count > 0) {
            parts.add(new FileSlice(channel, position, count));
            sizeInBytes += count;
        }
        return this;
    }

    /** Registers an action to run once the response has left (or can no longer leave) the broker. */
    public ResponseParts onReleased(Runnable action) {
        releaseActions.add(action);
        return this;
    }

    /** Bytes on the wire, size prefix included. */
    public long sizeInBytes() {
        return sizeInBytes;
    }

    List<Object> parts() {
        return parts;
    }

    /** Runs the release actions; each failure is contained so the others still run. */
    void release() {
        for (Runnable action : releaseActions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ResponseParts.class).error("Release action failed", e);
            }
        }
        releaseActions.clear();
    }
}

package io.tidelog.protocol.frame;

import io.tidelog.protocol.ProtocolDecodeException;

import java.nio.ByteBuffer;

/**
 * The 4-byte big-endian size that precedes every request and response. The size comes from the
 * peer, so it is checked against the configured maximum ({@code socket.request.max.bytes} on the
 * broker) before anything is allocated for the frame.
 */
public final class FrameLength {

    public static final int PREFIX_BYTES = 4;

    private FrameLength() {
    }

    /** Returns {@code declaredSize} if it is a size a frame may have, else throws. */
    public static int check(int declaredSize, int maxBytes) {
        if (declaredSize < 0) {
            throw new ProtocolDecodeException("frame size " + declaredSize + " is negative");
        }
        if (declaredSize > maxBytes) {
            throw new ProtocolDecodeException("frame size " + declaredSize + " is larger than the maximum "
                    + maxBytes + " (socket.request.max.bytes)");
        }
        return declaredSize;
    }

    /**
     * The checked size of the frame whose prefix starts at {@code buf}'s position, or -1 when
     * fewer than 4 bytes are readable yet. Does not move the position.
     */
    public static int peek(ByteBuffer buf, int maxBytes) {
        if (buf.remaining() < PREFIX_BYTES) {
            return -1;
        }
        return check(buf.getInt(buf.position()), maxBytes);
    }
}

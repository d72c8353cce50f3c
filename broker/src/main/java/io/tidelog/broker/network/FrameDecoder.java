package io.tidelog.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the inbound byte stream into request frames: a 4-byte big-endian size, then that many
 * bytes.
 *
 * <p>The size is checked against {@code socket.request.max.bytes} as soon as its 4 bytes arrive,
 * before anything is allocated for the body: a negative or oversized length closes the connection
 * and discards everything that follows. The body is never allocated up front; the cumulation
 * buffer grows only with bytes actually received.
 *
 * <p>Ownership: each emitted frame is a retained slice of the cumulation buffer (without the size
 * prefix). Whoever receives it ({@link ConnectionHandler}) releases it exactly once.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);
    static final int SIZE_PREFIX_BYTES = 4;

    private final int maxFrameBytes;
    private boolean rejected;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxFrameBytes) {
            rejected = true;
            in.skipBytes(in.readableBytes());
            LOG.warn("Closing connection from {}: request frame of {} bytes exceeds socket.request.max.bytes={}",
                    ctx.channel().remoteAddress(), size, maxFrameBytes);
            ctx.close();
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES + size) {
            return;
        }
        in.skipBytes(SIZE_PREFIX_BYTES);
        out.add(in.readRetainedSlice(size));
    }
}

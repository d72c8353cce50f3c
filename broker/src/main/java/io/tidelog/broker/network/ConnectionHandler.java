package io.tidelog.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: hands frames to the dispatcher and writes the answers back strictly in
 * request order.
 *
 * <p>Invariants (all state is confined to the channel's event loop):
 * <ul>
 *   <li>{@code queue} holds one {@link PendingResponse} per request received and not yet written,
 *       oldest first; only its head may be written, so answers are FIFO even when a later request
 *       (a quick Metadata) completes before an earlier parked one (a long-poll Fetch).</li>
 *   <li>At most {@code maxInFlight} requests are dispatched and unanswered, and none is dispatched
 *       while the outbound buffer is over its high-water mark; frames decoded meanwhile wait in
 *       {@code deferred} (bounded by one socket read) and are dispatched in order as answers leave.</li>
 *   <li>Reading is paused (autoRead off) while {@code queue.size() >= maxInFlight} or the channel's
 *       outbound buffer is above its high-water mark, and resumed when both clear.</li>
 *   <li>Every request frame is released exactly once, when its slot leaves the queue or the
 *       connection closes with the slot completed.</li>
 * </ul>
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final RequestDispatcher dispatcher;
    private final InFlightTracker inFlight;
    private final int maxInFlight;
    private final ArrayDeque<PendingResponse> queue = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> deferred = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean closing;
    /** Inside a read burst: answers are written but flushed once at channelReadComplete. */
    private boolean reading;
    private boolean flushPending;
    private volatile String remoteAddress = "?";

    ConnectionHandler(RequestDispatcher dispatcher, InFlightTracker inFlight, int maxInFlight) {
        this.dispatcher = dispatcher;
        this.inFlight = inFlight;
        this.maxInFlight = maxInFlight;
    }

    String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        remoteAddress = String.valueOf(ctx.channel().remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ByteBuf frame = (ByteBuf) msg;
        if (closing) {
            frame.release();
            return;
        }
        if (queue.size() >= maxInFlight || !ctx.channel().isWritable() || !deferred.isEmpty()) {
            // frames decoded from the last socket read before reading paused: they wait their turn
            deferred.addLast(frame);
            return;
        }
        dispatch(frame);
    }

    /** Dispatches held frames in order while the limits allow. */
    private void dispatchDeferred() {
        while (!closing && !deferred.isEmpty() && queue.size() < maxInFlight && ctx.channel().isWritable()) {
            dispatch(deferred.pollFirst());
        }
    }

    private void dispatch(ByteBuf frame) {
        PendingResponse slot = new PendingResponse(this, frame);
        queue.addLast(slot);
        inFlight.increment();
        updateAutoRead();
        ByteBuffer view = frame.nioBuffer();
        try {
            dispatcher.dispatch(view, slot);
        } catch (RuntimeException | Error e) {
            LOG.error("Request from {} failed unexpectedly; closing the connection", remoteAddress, e);
            if (!slot.isDone()) {
                slot.closeConnection("internal error");
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        reading = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        dispatchDeferred();
        updateAutoRead();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closing = true;
        if (!ctx.channel().config().isAutoRead()) {
            inFlight.pausedChanged(-1);
        }
        while (!deferred.isEmpty()) {
            deferred.pollFirst().release();
        }
        drainCompleted();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Connection from {} failed: {}", remoteAddress, cause.toString());
        } else {
            LOG.warn("Closing connection from {} after an unexpected error", remoteAddress, cause);
        }
        ctx.close();
    }

    /** Called by a slot after it completes, from any thread. */
    void onCompleted() {
        if (ctx.executor().inEventLoop()) {
            drainCompleted();
        } else {
            ctx.executor().execute(this::drainCompleted);
        }
    }

    private void drainCompleted() {
        boolean wrote = false;
        while (!queue.isEmpty() && queue.peekFirst().isDone()) {
            PendingResponse slot = queue.pollFirst();
            slot.releaseRequest();
            inFlight.decrement();
            wrote |= emit(slot);
        }
        if (wrote) {
            if (reading) {
                flushPending = true;
            } else {
                ctx.flush();
            }
        }
        dispatchDeferred();
        if (!closing) {
            updateAutoRead();
        }
    }

    private boolean emit(PendingResponse slot) {
        switch (slot.kind()) {
            case RESPONSE -> {
                if (closing || !ctx.channel().isActive()) {
                    slot.parts().release();
                    return false;
                }
                write(slot.parts());
                return true;
            }
            case CLOSE -> {
                LOG.info("Closing connection from {}: {}", remoteAddress, slot.closeReason());
                closing = true;
                ctx.flush();
                ctx.close();
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** Writes the parts; the release actions run when the last write settles (success or failure). */
    private void write(ResponseParts response) {
        List<Object> parts = response.parts();
        if (parts.isEmpty()) {
            response.release();
            return;
        }
        int last = parts.size() - 1;
        for (int i = 0; i < last; i++) {
            ctx.write(toMessage(parts.get(i)), ctx.voidPromise());
        }
        ctx.write(toMessage(parts.get(last))).addListener((ChannelFutureListener) f -> response.release());
    }

    private static Object toMessage(Object part) {
        if (part instanceof ByteBuffer buffer) {
            return Unpooled.wrappedBuffer(buffer);
        }
        ResponseParts.FileSlice slice = (ResponseParts.FileSlice) part;
        return new BorrowedFileRegion(slice);
    }

    private void updateAutoRead() {
        boolean read = queue.size() < maxInFlight && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
            inFlight.pausedChanged(read ? -1 : 1);
        }
    }

    /**
     * A sendfile region over a file channel the log owns: unlike {@link DefaultFileRegion} it does
     * not close the channel when released.
     */
    private static final class BorrowedFileRegion extends DefaultFileRegion {
        BorrowedFileRegion(ResponseParts.FileSlice slice) {
            super(slice.channel(), slice.position(), slice.count());
        }

        @Override
        protected void deallocate() {
            // the channel belongs to the log segment; the read handle is released by ResponseParts
        }
    }
}

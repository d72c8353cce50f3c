package io.tidelog.broker.network;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The slot one request holds in its connection's response queue. Responses leave a connection in
 * the order the requests arrived, so a slot completed early waits for the slots ahead of it.
 *
 * <p>Completed exactly once, from any thread; the connection is notified on its own event loop.
 * A second completion is a bug and throws.
 */
public final class PendingResponse {

    enum Kind { RESPONSE, NO_RESPONSE, CLOSE }

    private static final AtomicReferenceFieldUpdater<PendingResponse, Kind> KIND =
            AtomicReferenceFieldUpdater.newUpdater(PendingResponse.class, Kind.class, "kind");

    private final ConnectionHandler connection;
    private final ByteBuf requestFrame;
    private volatile Kind kind;
    private ResponseParts parts;
    private String closeReason;

    PendingResponse(ConnectionHandler connection, ByteBuf requestFrame) {
        this.connection = connection;
        this.requestFrame = requestFrame;
    }

    /** The response to send, once all requests ahead of this one have been answered. */
    public void complete(ResponseParts response) {
        this.parts = response;
        finish(Kind.RESPONSE, response);
    }

    /** Nothing is sent for this request (produce with acks=0). */
    public void completeWithoutResponse() {
        finish(Kind.NO_RESPONSE, null);
    }

    /** Closes the connection once the responses ahead of this request have been written. */
    public void closeConnection(String reason) {
        this.closeReason = reason;
        finish(Kind.CLOSE, null);
    }

    /** The peer of this request's connection, for logging. */
    public String remoteAddress() {
        return connection.remoteAddress();
    }

    /** Identifies the connection (stable for its lifetime), e.g. to cancel parked work. */
    public Object connectionId() {
        return connection;
    }

    private void finish(Kind outcome, ResponseParts toReleaseOnMisuse) {
        if (!KIND.compareAndSet(this, null, outcome)) {
            if (toReleaseOnMisuse != null) {
                toReleaseOnMisuse.release();
            }
            throw new IllegalStateException("response completed twice");
        }
        connection.onCompleted();
    }

    boolean isDone() {
        return kind != null;
    }

    Kind kind() {
        return kind;
    }

    ResponseParts parts() {
        return parts;
    }

    String closeReason() {
        return closeReason;
    }

    /** Frees the request bytes; called by the connection once this slot is completed. */
    void releaseRequest() {
        requestFrame.release();
    }
}

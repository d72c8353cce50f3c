package io.tidelog.broker.network;

import java.nio.ByteBuffer;

/**
 * What the network layer hands each request frame to (the {@code api} layer implements it).
 *
 * <p>Called on the connection's event loop, in the order the frames arrived. The implementation
 * must eventually complete {@code response} exactly once, from any thread: with a response, with
 * {@link PendingResponse#completeWithoutResponse()} (acks=0 produce), or with
 * {@link PendingResponse#closeConnection(String)}.
 *
 * <p>Buffer ownership: {@code frame} (the request without its size prefix, positioned at the
 * request header) is a view of a network buffer owned by the connection. It stays valid until
 * {@code response} is completed and must not be used afterwards; the connection frees it then.
 */
public interface RequestDispatcher {

    void dispatch(ByteBuffer frame, PendingResponse response);
}

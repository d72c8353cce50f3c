package io.tidelog.broker.api;

import io.tidelog.protocol.types.ProtocolReader;

/**
 * Handles one API: decode the body, check it, call the layer below, answer. Called on the
 * connection's event loop; must not block (hand blocking work to the control executor).
 *
 * <p>A body that does not decode throws {@link io.tidelog.protocol.ProtocolDecodeException} before
 * anything was answered; the dispatcher then closes the connection, as Kafka does.
 */
@FunctionalInterface
public interface ApiHandler {

    void handle(RequestContext context, ProtocolReader body);
}

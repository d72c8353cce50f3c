package io.tidelog.protocol;

/**
 * The bytes received are not a valid Kafka protocol frame: truncated, a length that points past
 * the end of the frame, a varint that never ends, a null where none is allowed, trailing garbage.
 *
 * <p>This is the only exception decoding throws for bad input. Whoever reads from a socket can
 * therefore treat it as "the peer sent garbage" (close the connection) and anything else as a bug.
 */
public final class ProtocolDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolDecodeException(String message) {
        super(message);
    }

    public ProtocolDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}

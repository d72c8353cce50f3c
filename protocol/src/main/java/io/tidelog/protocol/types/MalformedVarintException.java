package io.tidelog.protocol.types;

/** A varint longer than its type allows: the bytes are not a valid encoding, whatever follows. */
public final class MalformedVarintException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedVarintException(String message) {
        super(message, null, false, false);
    }
}

package io.tidelog.client.admin;

import io.tidelog.protocol.Errors;

/**
 * An admin operation failed. The message says what went wrong and, where there is one, what to do
 * about it; {@link #error()} is the broker's error code ({@link Errors#NONE} when the failure was
 * not an answer from a broker, e.g. no broker was reachable).
 */
public class AdminException extends RuntimeException {

    private final Errors error;

    public AdminException(String message) {
        this(Errors.NONE, message, null);
    }

    public AdminException(Errors error, String message) {
        this(error, message, null);
    }

    public AdminException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The broker's error code, or {@link Errors#NONE} for a client-side failure. */
    public Errors error() {
        return error;
    }

    /** True when the same request may succeed if sent again a little later. */
    public boolean retriable() {
        return error.retriable();
    }
}

package io.tidelog.client.consumer;

import io.tidelog.protocol.Errors;

/**
 * The group coordinator refused this member for a reason retrying cannot fix (an inconsistent
 * group protocol, a group at its size limit, an invalid session timeout, no authorization).
 * {@link #error()} is the protocol error.
 */
public class GroupException extends ConsumerException {

    private final Errors error;

    public GroupException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}

package io.tidelog.client.admin;

/** The operation did not complete within the admin client's timeout ({@code default.api.timeout.ms}). */
public final class AdminTimeoutException extends AdminException {

    public AdminTimeoutException(String message, Throwable cause) {
        super(io.tidelog.protocol.Errors.REQUEST_TIMED_OUT, message, cause);
    }
}

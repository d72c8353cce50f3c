package io.tidelog.client.admin;

/** No broker answered: nothing listening at the bootstrap addresses, or the connection broke. */
public final class BrokerUnreachableException extends AdminException {

    public BrokerUnreachableException(String message, Throwable cause) {
        super(io.tidelog.protocol.Errors.NONE, message, cause);
    }
}

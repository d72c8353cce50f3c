package io.tidelog.client.producer;

import io.tidelog.protocol.Errors;

/** The broker refused a produce with a non-retriable error (or retries ran out on a retriable one). */
public class BrokerErrorException extends ProducerException {

    private final Errors error;

    public BrokerErrorException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}

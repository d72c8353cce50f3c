package io.tidelog.client.consumer;

/** Base of every failure the consumer reports; its message says what happened and what to do. */
public class ConsumerException extends RuntimeException {

    public ConsumerException(String message) {
        super(message);
    }

    public ConsumerException(String message, Throwable cause) {
        super(message, cause);
    }
}

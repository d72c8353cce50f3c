package io.tidelog.client.producer;

/** Base of every failure the producer reports; its message says what happened and what to do. */
public class ProducerException extends RuntimeException {

    public ProducerException(String message) {
        super(message);
    }

    public ProducerException(String message, Throwable cause) {
        super(message, cause);
    }
}

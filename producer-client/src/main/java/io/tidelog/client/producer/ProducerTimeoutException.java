package io.tidelog.client.producer;

/**
 * Something did not happen in time: metadata or buffer memory within {@code max.block.ms}, or
 * acknowledgement within {@code delivery.timeout.ms}. The message says what was waited for.
 */
public class ProducerTimeoutException extends ProducerException {

    public ProducerTimeoutException(String message) {
        super(message);
    }
}

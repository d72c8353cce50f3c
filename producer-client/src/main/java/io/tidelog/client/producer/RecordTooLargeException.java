package io.tidelog.client.producer;

/** A record (or its batch) is larger than the producer's or the broker's limit. */
public class RecordTooLargeException extends ProducerException {

    public RecordTooLargeException(String message) {
        super(message);
    }
}

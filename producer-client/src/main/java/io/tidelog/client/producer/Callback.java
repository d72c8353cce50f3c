package io.tidelog.client.producer;

/**
 * Told once when a send completes: exactly one of {@code metadata} and {@code exception} is
 * non-null. Runs on the sender thread, so it must be quick and must not block.
 */
@FunctionalInterface
public interface Callback {

    void onCompletion(RecordMetadata metadata, Exception exception);
}

package io.tidelog.client.producer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends records to a Kafka-protocol cluster. Thread-safe: any number of application threads may
 * send concurrently; records sent by one thread to one partition keep their order.
 */
public interface Producer<K, V> extends AutoCloseable {

    /**
     * Queues a record for sending and returns at once, unless metadata for the topic or buffer
     * memory is not available yet, in which case it blocks up to {@code max.block.ms} and then
     * fails the returned future with {@link ProducerTimeoutException}. The future completes when
     * the broker acknowledged the record (per {@code acks}) or the send failed definitely.
     */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record);

    /** As {@link #send(ProducerRecord)}; {@code callback} runs on the sender thread first. */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    /** Sends everything queued now (ignoring linger.ms) and waits until each send completed. */
    void flush();

    /**
     * Stops accepting records, sends what is queued for up to {@code timeout}, then fails whatever
     * is left and releases the connections and the sender thread.
     */
    void close(Duration timeout);

    /** Closes, waiting as long as it takes for queued records to complete. */
    @Override
    void close();
}

package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;

/**
 * The key or value deserializer failed on a record. The position stays at this record, so the
 * next poll fails again: {@link Consumer#seek seek} past {@link #offset()} to skip it.
 */
public class RecordDeserializationException extends ConsumerException {

    private final TopicPartition partition;
    private final long offset;

    public RecordDeserializationException(TopicPartition partition, long offset, String message, Throwable cause) {
        super(message, cause);
        this.partition = partition;
        this.offset = offset;
    }

    public TopicPartition partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}

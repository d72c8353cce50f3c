package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;

/**
 * The broker returned only part of a record batch at the fetch position: the batch is larger
 * than the fetch size limits allow and the broker does not send an oversized batch whole.
 * Raise {@code max.partition.fetch.bytes} / {@code fetch.max.bytes}.
 */
public class RecordTooLargeException extends ConsumerException {

    private final TopicPartition partition;
    private final long offset;

    public RecordTooLargeException(TopicPartition partition, long offset, String message) {
        super(message);
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

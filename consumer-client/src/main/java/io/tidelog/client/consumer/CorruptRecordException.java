package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;

/**
 * A fetched record batch failed validation (CRC-32C mismatch with {@code check.crcs=true}, bad
 * magic, sizes that disagree, or a block that does not decompress). The position stays at the
 * batch; seek past {@link #offset()} to skip it.
 */
public class CorruptRecordException extends ConsumerException {

    private final TopicPartition partition;
    private final long offset;

    public CorruptRecordException(TopicPartition partition, long offset, String message) {
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

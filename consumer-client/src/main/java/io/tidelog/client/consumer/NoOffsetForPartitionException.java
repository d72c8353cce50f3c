package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.util.Set;

/** No committed offset exists for a partition and {@code auto.offset.reset=none}. */
public class NoOffsetForPartitionException extends InvalidOffsetException {

    public NoOffsetForPartitionException(Set<TopicPartition> partitions) {
        super("no committed offset for " + partitions + " and auto.offset.reset=none: seek to an offset, "
                + "or set auto.offset.reset to earliest or latest", partitions);
    }
}

package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.util.Set;

/**
 * A partition has no valid position and {@code auto.offset.reset=none} forbids choosing one.
 * Recover by {@link Consumer#seek seeking} each partition of {@link #partitions()} (or to the
 * beginning or end) and polling again.
 */
public class InvalidOffsetException extends ConsumerException {

    private final Set<TopicPartition> partitions;

    public InvalidOffsetException(String message, Set<TopicPartition> partitions) {
        super(message);
        this.partitions = Set.copyOf(partitions);
    }

    /** The partitions without a valid position. */
    public Set<TopicPartition> partitions() {
        return partitions;
    }
}

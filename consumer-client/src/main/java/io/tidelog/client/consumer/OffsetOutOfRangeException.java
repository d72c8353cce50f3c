package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.util.Map;
import java.util.Set;

/**
 * The fetch position of a partition is outside the log (below the log start offset after
 * retention or DeleteRecords, or beyond the end) and {@code auto.offset.reset=none}.
 */
public class OffsetOutOfRangeException extends InvalidOffsetException {

    private final Map<TopicPartition, Long> offsetOutOfRangePartitions;

    public OffsetOutOfRangeException(String message, Map<TopicPartition, Long> offsetOutOfRangePartitions) {
        super(message, Set.copyOf(offsetOutOfRangePartitions.keySet()));
        this.offsetOutOfRangePartitions = Map.copyOf(offsetOutOfRangePartitions);
    }

    public OffsetOutOfRangeException(Map<TopicPartition, Long> offsetOutOfRangePartitions) {
        this("fetch position out of range for " + offsetOutOfRangePartitions + " (partition -> position) and "
                + "auto.offset.reset=none: seek to a valid offset (seekToBeginning/seekToEnd), or set "
                + "auto.offset.reset to earliest or latest", offsetOutOfRangePartitions);
    }

    /** Each partition's position that the broker refused. */
    public Map<TopicPartition, Long> offsetOutOfRangePartitions() {
        return offsetOutOfRangePartitions;
    }
}

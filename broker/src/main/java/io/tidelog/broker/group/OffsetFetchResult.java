package io.tidelog.broker.group;

import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import java.util.List;

/** The committed offsets of one group: a group-level error and one entry per partition. */
public record OffsetFetchResult(Errors error, List<PartitionOffset> partitions) {

    /** offset -1, leader epoch -1 and metadata "" when nothing was committed for the partition. */
    public record PartitionOffset(TopicPartition topicPartition, long offset, int leaderEpoch, String metadata,
                                  Errors error) {
    }
}

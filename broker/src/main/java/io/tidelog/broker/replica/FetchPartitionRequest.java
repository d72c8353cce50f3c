package io.tidelog.broker.replica;

/**
 * One partition of a fetch: where to read from and how much.
 *
 * @param currentLeaderEpoch the client's view of the leader epoch (-1 = not checked)
 */
public record FetchPartitionRequest(TopicPartition topicPartition, long fetchOffset, int partitionMaxBytes,
                                    int currentLeaderEpoch) {
}

package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.util.Collection;

/**
 * Told when group membership moves partitions, always on the thread calling
 * {@link Consumer#poll} (or {@code close}/{@code unsubscribe}). With the eager classic protocol
 * every rebalance first revokes all partitions, then assigns the new set.
 */
public interface ConsumerRebalanceListener {

    /**
     * Before a rebalance, while this member still owns {@code partitions}: the place to commit
     * offsets of what was processed (commitSync works here).
     */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** After a rebalance, before the first records of {@code partitions} are fetched. */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * The partitions were already given to others (this member fell out of the group), so
     * committing them would fail. By default the same as {@link #onPartitionsRevoked}.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }
}

package io.tidelog.client.consumer;

/**
 * An offset commit cannot succeed because this member is no longer part of the group's current
 * generation: the group rebalanced (often because the time between polls exceeded
 * {@code max.poll.interval.ms}) and its partitions may now belong to another member.
 */
public class CommitFailedException extends ConsumerException {

    public CommitFailedException(String message) {
        super(message);
    }
}

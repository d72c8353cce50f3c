package io.tidelog.client.consumer;

import java.util.Set;

/**
 * A topic this consumer was asked to read (by {@code assign}, {@code partitionsFor} or an offset
 * lookup) does not exist on the cluster. Create it first, or enable auto-creation on the broker.
 */
public class UnknownTopicException extends ConsumerException {

    private final Set<String> topics;

    public UnknownTopicException(Set<String> topics, String message) {
        super(message);
        this.topics = Set.copyOf(topics);
    }

    public Set<String> topics() {
        return topics;
    }
}

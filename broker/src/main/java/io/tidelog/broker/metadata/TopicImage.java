package io.tidelog.broker.metadata;

import java.util.Map;
import java.util.UUID;

/**
 * One topic in a {@link MetadataImage}: its id, how many partitions it has, and its per-topic
 * config overrides (keys such as {@code retention.ms}; broker defaults apply to absent keys).
 * Immutable.
 */
public record TopicImage(String name, UUID topicId, int partitionCount, Map<String, String> configs) {

    public TopicImage {
        configs = Map.copyOf(configs);
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount " + partitionCount);
        }
    }

    public TopicImage withPartitionCount(int newCount) {
        return new TopicImage(name, topicId, newCount, configs);
    }

    public TopicImage withConfigs(Map<String, String> newConfigs) {
        return new TopicImage(name, topicId, partitionCount, newConfigs);
    }
}

package io.tidelog.broker.group;

import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.metadata.TopicRegistry;
import java.io.IOException;
import java.util.Map;

/**
 * Creates {@value GroupCoordinator#OFFSETS_TOPIC} on first start. Its records are keyed (one key
 * per group and per group/topic/partition, see {@link OffsetsRecordFormat}) and must never be
 * deleted by time or size retention, so the topic is {@code cleanup.policy=compact} (which turns
 * retention off) and the log cleaner keeps only the latest record of each key: the topic stays
 * about as large as the live groups and offsets, however often they are committed. Tombstones
 * (a deleted group's or offset's key with a null value) are removed after delete.retention.ms.
 */
public final class OffsetsTopic {

    private OffsetsTopic() {
    }

    /** The topic's configuration when Tidelog creates it. */
    public static Map<String, String> configs(GroupConfig config) {
        return Map.of("cleanup.policy", "compact", "retention.ms", "-1", "retention.bytes", "-1",
                "segment.bytes", Integer.toString(config.offsetsTopicSegmentBytes()));
    }

    /**
     * Creates the topic with {@code offsets.topic.num.partitions} partitions unless it exists, and
     * returns its partition count (an existing topic's count wins: groups must not move). Writes
     * files: call from the control thread or before serving.
     */
    public static int ensureCreated(TopicRegistry registry, GroupConfig config) throws IOException {
        TopicImage existing = registry.image().topic(GroupCoordinator.OFFSETS_TOPIC);
        if (existing != null) {
            return existing.partitionCount();
        }
        TopicRegistry.Outcome outcome = registry.create(GroupCoordinator.OFFSETS_TOPIC,
                config.offsetsTopicNumPartitions(), configs(config));
        if (outcome != TopicRegistry.Outcome.OK) {
            throw new IOException("could not create " + GroupCoordinator.OFFSETS_TOPIC + ": " + outcome);
        }
        return registry.image().topic(GroupCoordinator.OFFSETS_TOPIC).partitionCount();
    }
}

package io.tidelog.broker.group;

import io.tidelog.broker.config.BrokerConfig;
import java.util.Map;

/**
 * The group coordinator's settings, with Kafka's key names.
 *
 * <p>{@link #from(BrokerConfig)} reads every key the broker configuration knows; a key it does not
 * (yet) declare takes the default below, so adding the key to {@code BrokerKeys} is enough to make
 * it configurable.
 *
 * <table>
 *   <caption>keys and defaults</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>offsets.topic.num.partitions</td><td>10</td><td>partitions of {@code __consumer_offsets}
 *       when it is created (Kafka: 50; a single node needs fewer). A group lives in partition
 *       {@code abs(groupId.hashCode()) % n}. Once the topic exists its partition count wins.</td></tr>
 *   <tr><td>group.initial.rebalance.delay.ms</td><td>3000</td><td>first rebalance of an empty group
 *       waits this long for more members</td></tr>
 *   <tr><td>group.min.session.timeout.ms</td><td>6000</td><td>smallest session timeout a member may ask for</td></tr>
 *   <tr><td>group.max.session.timeout.ms</td><td>1800000</td><td>largest session timeout</td></tr>
 *   <tr><td>group.max.size</td><td>2147483647</td><td>members per group</td></tr>
 *   <tr><td>offsets.retention.minutes</td><td>10080</td><td>offsets of an empty group expire after this</td></tr>
 *   <tr><td>offsets.retention.check.interval.ms</td><td>600000</td><td>how often expiry is checked</td></tr>
 *   <tr><td>offset.metadata.max.bytes</td><td>4096</td><td>largest metadata string of a commit</td></tr>
 *   <tr><td>offsets.commit.timeout.ms</td><td>5000</td><td>how long a commit waits for its append</td></tr>
 *   <tr><td>offsets.topic.segment.bytes</td><td>104857600</td><td>segment size of {@code __consumer_offsets}</td></tr>
 * </table>
 */
public record GroupConfig(
        int offsetsTopicNumPartitions,
        int initialRebalanceDelayMs,
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int maxSize,
        long offsetsRetentionMs,
        long offsetsRetentionCheckIntervalMs,
        int offsetMetadataMaxBytes,
        int offsetsCommitTimeoutMs,
        int offsetsTopicSegmentBytes) {

    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_COMMIT_TIMEOUT_MS = "offsets.commit.timeout.ms";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";

    public GroupConfig {
        require(offsetsTopicNumPartitions >= 1, OFFSETS_TOPIC_NUM_PARTITIONS, offsetsTopicNumPartitions);
        require(initialRebalanceDelayMs >= 0, "group.initial.rebalance.delay.ms", initialRebalanceDelayMs);
        require(minSessionTimeoutMs >= 0, GROUP_MIN_SESSION_TIMEOUT_MS, minSessionTimeoutMs);
        require(maxSessionTimeoutMs >= minSessionTimeoutMs, GROUP_MAX_SESSION_TIMEOUT_MS, maxSessionTimeoutMs);
        require(maxSize >= 1, GROUP_MAX_SIZE, maxSize);
        require(offsetsRetentionMs >= 1, "offsets.retention.minutes", offsetsRetentionMs);
        require(offsetsRetentionCheckIntervalMs >= 1, OFFSETS_RETENTION_CHECK_INTERVAL_MS,
                offsetsRetentionCheckIntervalMs);
        require(offsetMetadataMaxBytes >= 0, OFFSET_METADATA_MAX_BYTES, offsetMetadataMaxBytes);
        require(offsetsCommitTimeoutMs >= 1, OFFSETS_COMMIT_TIMEOUT_MS, offsetsCommitTimeoutMs);
        require(offsetsTopicSegmentBytes >= 1024, OFFSETS_TOPIC_SEGMENT_BYTES, offsetsTopicSegmentBytes);
    }

    /** Kafka's defaults, except 10 offsets partitions instead of 50. */
    public static GroupConfig defaults() {
        return new GroupConfig(10, 3000, 6000, 1_800_000, Integer.MAX_VALUE, 10080L * 60_000L, 600_000L, 4096, 5000,
                104_857_600);
    }

    /** The broker's values for every key it declares, the defaults for the rest. */
    public static GroupConfig from(BrokerConfig broker) {
        GroupConfig d = defaults();
        Map<String, String> values = broker.effectiveValues();
        return new GroupConfig(
                intOr(values, OFFSETS_TOPIC_NUM_PARTITIONS, d.offsetsTopicNumPartitions),
                broker.groupInitialRebalanceDelayMs(),
                intOr(values, GROUP_MIN_SESSION_TIMEOUT_MS, d.minSessionTimeoutMs),
                intOr(values, GROUP_MAX_SESSION_TIMEOUT_MS, d.maxSessionTimeoutMs),
                intOr(values, GROUP_MAX_SIZE, d.maxSize),
                broker.offsetsRetentionMinutes() * 60_000L,
                longOr(values, OFFSETS_RETENTION_CHECK_INTERVAL_MS, d.offsetsRetentionCheckIntervalMs),
                intOr(values, OFFSET_METADATA_MAX_BYTES, d.offsetMetadataMaxBytes),
                intOr(values, OFFSETS_COMMIT_TIMEOUT_MS, d.offsetsCommitTimeoutMs),
                intOr(values, OFFSETS_TOPIC_SEGMENT_BYTES, d.offsetsTopicSegmentBytes));
    }

    public GroupConfig withOffsetsTopicNumPartitions(int value) {
        return new GroupConfig(value, initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, maxSize,
                offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsCommitTimeoutMs,
                offsetsTopicSegmentBytes);
    }

    public GroupConfig withInitialRebalanceDelayMs(int value) {
        return new GroupConfig(offsetsTopicNumPartitions, value, minSessionTimeoutMs, maxSessionTimeoutMs, maxSize,
                offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsCommitTimeoutMs,
                offsetsTopicSegmentBytes);
    }

    public GroupConfig withSessionTimeoutRange(int min, int max) {
        return new GroupConfig(offsetsTopicNumPartitions, initialRebalanceDelayMs, min, max, maxSize,
                offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsCommitTimeoutMs,
                offsetsTopicSegmentBytes);
    }

    public GroupConfig withMaxSize(int value) {
        return new GroupConfig(offsetsTopicNumPartitions, initialRebalanceDelayMs, minSessionTimeoutMs,
                maxSessionTimeoutMs, value, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes,
                offsetsCommitTimeoutMs, offsetsTopicSegmentBytes);
    }

    public GroupConfig withOffsetsRetention(long retentionMs, long checkIntervalMs) {
        return new GroupConfig(offsetsTopicNumPartitions, initialRebalanceDelayMs, minSessionTimeoutMs,
                maxSessionTimeoutMs, maxSize, retentionMs, checkIntervalMs, offsetMetadataMaxBytes,
                offsetsCommitTimeoutMs, offsetsTopicSegmentBytes);
    }

    private static int intOr(Map<String, String> values, String key, int fallback) {
        String value = values.get(key);
        return value == null ? fallback : Integer.parseInt(value.trim());
    }

    private static long longOr(Map<String, String> values, String key, long fallback) {
        String value = values.get(key);
        return value == null ? fallback : Long.parseLong(value.trim());
    }

    private static void require(boolean ok, String key, long value) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid " + key + ": " + value);
        }
    }
}

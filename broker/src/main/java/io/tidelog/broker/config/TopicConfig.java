package io.tidelog.broker.config;

import static io.tidelog.broker.config.Parsers.bool;
import static io.tidelog.broker.config.Parsers.doubleBetween;
import static io.tidelog.broker.config.Parsers.intAtLeast;
import static io.tidelog.broker.config.Parsers.longAtLeast;
import static io.tidelog.broker.config.Parsers.oneOf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.tidelog.broker.log.LogConfig;
import io.tidelog.broker.log.SegmentBackend;

/**
 * A topic's effective configuration: the broker's {@code log.*} defaults with the topic's own
 * overrides on top. Immutable.
 *
 * <p>Topic keys use Kafka's per-topic names ({@code retention.ms}, {@code segment.bytes}, ...);
 * each has a broker key that supplies its default ({@code log.retention.ms},
 * {@code log.segment.bytes}, ...). {@link #validate(Map)} is what CreateTopics and AlterConfigs
 * call: an unknown key or bad value is a {@link ConfigException} naming it, which the handler
 * answers with INVALID_CONFIG and the exception's message.
 */
public final class TopicConfig {

    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";

    /** A topic key, its parser, and the broker setting its default comes from. */
    private record TopicKey(ConfigKey<?> key, ConfigKey<?> brokerKey, Function<BrokerConfig, Object> brokerDefault) {
    }

    private static final Map<String, TopicKey> KEYS = keys(
            topicKey(CLEANUP_POLICY, Parsers.cleanupPolicy(), BrokerKeys.LOG_CLEANUP_POLICY,
                    BrokerConfig::logCleanupPolicy, "delete: old segments are deleted by retention; compact: "
                            + "the log cleaner keeps the latest record per key; compact,delete: both."),
            topicKey(DELETE_RETENTION_MS, longAtLeast(0), BrokerKeys.LOG_CLEANER_DELETE_RETENTION_MS,
                    BrokerConfig::logCleanerDeleteRetentionMs, "How long a tombstone (null value) survives after "
                            + "the cleaner passed it (ms), so consumers see the delete."),
            topicKey(MIN_COMPACTION_LAG_MS, longAtLeast(0), BrokerKeys.LOG_CLEANER_MIN_COMPACTION_LAG_MS,
                    BrokerConfig::logCleanerMinCompactionLagMs, "Least age of a record before it may be compacted "
                            + "away (ms)."),
            topicKey(MIN_CLEANABLE_DIRTY_RATIO, doubleBetween(0, 1), BrokerKeys.LOG_CLEANER_MIN_CLEANABLE_RATIO,
                    BrokerConfig::logCleanerMinCleanableRatio, "Share of the cleanable bytes that must be dirty "
                            + "before the log is cleaned."),
            topicKey(RETENTION_MS, longAtLeast(-1), BrokerKeys.LOG_RETENTION_MS, BrokerConfig::logRetentionMs,
                    "Age after which a segment is deleted (ms); -1 keeps data forever."),
            topicKey(RETENTION_BYTES, longAtLeast(-1), BrokerKeys.LOG_RETENTION_BYTES, BrokerConfig::logRetentionBytes,
                    "Size a partition's log may reach before its oldest segments are deleted; -1 = no limit."),
            topicKey(SEGMENT_BYTES, intAtLeast(BrokerKeys.MIN_SEGMENT_BYTES), BrokerKeys.LOG_SEGMENT_BYTES,
                    BrokerConfig::logSegmentBytes, "Size at which a segment is rolled (bytes)."),
            topicKey(SEGMENT_MS, longAtLeast(1), BrokerKeys.LOG_ROLL_MS, BrokerConfig::logRollMs,
                    "Age at which a non-empty active segment is rolled (ms)."),
            topicKey(SEGMENT_INDEX_BYTES, intAtLeast(BrokerKeys.MIN_INDEX_BYTES), BrokerKeys.LOG_INDEX_SIZE_MAX_BYTES,
                    BrokerConfig::logIndexSizeMaxBytes, "Size of each index file of a segment (bytes)."),
            topicKey(INDEX_INTERVAL_BYTES, intAtLeast(0), BrokerKeys.LOG_INDEX_INTERVAL_BYTES,
                    BrokerConfig::logIndexIntervalBytes, "Log bytes between two offset-index entries."),
            topicKey(MAX_MESSAGE_BYTES, intAtLeast(0), BrokerKeys.MESSAGE_MAX_BYTES, BrokerConfig::messageMaxBytes,
                    "Largest record batch accepted (bytes)."),
            topicKey(MIN_INSYNC_REPLICAS, intAtLeast(1), BrokerKeys.MIN_INSYNC_REPLICAS,
                    BrokerConfig::minInsyncReplicas, "Fewest in-sync replicas an acks=all produce needs."),
            topicKey(FLUSH_MESSAGES, longAtLeast(1), BrokerKeys.LOG_FLUSH_INTERVAL_MESSAGES,
                    BrokerConfig::logFlushIntervalMessages, "Records appended before the partition is fsynced."),
            topicKey(FLUSH_MS, longAtLeast(0), BrokerKeys.LOG_FLUSH_INTERVAL_MS, BrokerConfig::logFlushIntervalMs,
                    "Longest time appended data stays unfsynced (ms)."),
            topicKey(FILE_DELETE_DELAY_MS, longAtLeast(0), BrokerKeys.LOG_SEGMENT_DELETE_DELAY_MS,
                    BrokerConfig::logSegmentDeleteDelayMs, "Delay before a deleted segment's files are removed (ms)."),
            topicKey(MESSAGE_TIMESTAMP_TYPE, oneOf("CreateTime", "LogAppendTime"),
                    BrokerKeys.LOG_MESSAGE_TIMESTAMP_TYPE, BrokerConfig::logMessageTimestampType,
                    "CreateTime keeps producer timestamps; LogAppendTime stamps the broker's clock."),
            topicKey(UNCLEAN_LEADER_ELECTION_ENABLE, bool(), BrokerKeys.UNCLEAN_LEADER_ELECTION_ENABLE,
                    BrokerConfig::uncleanLeaderElectionEnable, "Allow a replica outside the ISR to become leader."));

    private final Map<String, String> overrides;
    private final SegmentBackend backend;
    private final Map<String, Object> values;
    private final List<ConfigEntry> entries;

    private TopicConfig(BrokerConfig broker, Map<String, String> overrides) {
        this.overrides = validate(overrides);
        this.backend = broker.segmentBackend();
        Map<String, Object> typed = new LinkedHashMap<>();
        List<ConfigEntry> described = new ArrayList<>(KEYS.size());
        for (TopicKey topicKey : KEYS.values()) {
            String name = topicKey.key().name();
            String override = this.overrides.get(name);
            Object value = override != null ? topicKey.key().parse(override) : topicKey.brokerDefault().apply(broker);
            typed.put(name, value);
            described.add(new ConfigEntry(name, String.valueOf(value), source(broker, topicKey, override != null)));
        }
        this.values = Collections.unmodifiableMap(typed);
        this.entries = List.copyOf(described);
    }

    /** The topic keys with their meanings, in the order the operations guide lists them. */
    public static Map<String, String> keysWithDocs() {
        Map<String, String> docs = new LinkedHashMap<>();
        KEYS.forEach((name, key) -> docs.put(name, key.key().doc()));
        return docs;
    }

    /** The broker key each topic key takes its default from. */
    public static String brokerDefaultKey(String topicKey) {
        TopicKey key = KEYS.get(topicKey);
        if (key == null) {
            throw KeySuggestions.unknownKey(topicKey, KEYS.keySet(), "topic configuration key");
        }
        return key.brokerKey().name();
    }

    /**
     * Checks per-topic overrides and returns them normalised (trimmed; {@code cleanup.policy}
     * in canonical order). Does not need a broker: use it to reject a CreateTopics request early.
     *
     * @throws ConfigException for the first unknown key or bad value, naming it
     */
    public static Map<String, String> validate(Map<String, String> overrides) {
        Map<String, String> normalised = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            String name = entry.getKey() == null ? "" : entry.getKey().trim();
            TopicKey key = KEYS.get(name);
            if (key == null) {
                throw KeySuggestions.unknownKey(name, KEYS.keySet(), "topic configuration key");
            }
            if (entry.getValue() == null) {
                throw ConfigException.invalidValue(name, "null", "a value is required");
            }
            normalised.put(name, String.valueOf(key.key().parse(entry.getValue())));
        }
        return Collections.unmodifiableMap(normalised);
    }

    /**
     * The effective configuration of a topic with {@code overrides} on a broker configured as
     * {@code broker}.
     *
     * @throws ConfigException for the first unknown key or bad value among the overrides
     */
    public static TopicConfig of(BrokerConfig broker, Map<String, String> overrides) {
        return new TopicConfig(Objects.requireNonNull(broker, "broker"), overrides);
    }

    /** The broker defaults alone. */
    public static TopicConfig defaults(BrokerConfig broker) {
        return of(broker, Map.of());
    }

    /** A copy with {@code changes} applied over this topic's overrides (later keys win). */
    public TopicConfig with(BrokerConfig broker, Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(overrides);
        merged.putAll(changes);
        return of(broker, merged);
    }

    /** Only what the topic set itself, normalised; this is what gets persisted with the topic. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** Every topic key with its effective value and where it came from, for DescribeConfigs. */
    public List<ConfigEntry> entries() {
        return entries;
    }

    public String cleanupPolicy() {
        return (String) values.get(CLEANUP_POLICY);
    }

    public boolean deletesByRetention() {
        return cleanupPolicy().contains("delete");
    }

    public boolean compacts() {
        return cleanupPolicy().contains("compact");
    }

    public long deleteRetentionMs() {
        return (Long) values.get(DELETE_RETENTION_MS);
    }

    public long minCompactionLagMs() {
        return (Long) values.get(MIN_COMPACTION_LAG_MS);
    }

    public double minCleanableDirtyRatio() {
        return (Double) values.get(MIN_CLEANABLE_DIRTY_RATIO);
    }

    public long retentionMs() {
        return (Long) values.get(RETENTION_MS);
    }

    public long retentionBytes() {
        return (Long) values.get(RETENTION_BYTES);
    }

    public int segmentBytes() {
        return (Integer) values.get(SEGMENT_BYTES);
    }

    public long segmentMs() {
        return (Long) values.get(SEGMENT_MS);
    }

    public int segmentIndexBytes() {
        return (Integer) values.get(SEGMENT_INDEX_BYTES);
    }

    public int indexIntervalBytes() {
        return (Integer) values.get(INDEX_INTERVAL_BYTES);
    }

    public int maxMessageBytes() {
        return (Integer) values.get(MAX_MESSAGE_BYTES);
    }

    public int minInsyncReplicas() {
        return (Integer) values.get(MIN_INSYNC_REPLICAS);
    }

    public long flushMessages() {
        return (Long) values.get(FLUSH_MESSAGES);
    }

    public long flushMs() {
        return (Long) values.get(FLUSH_MS);
    }

    public long fileDeleteDelayMs() {
        return (Long) values.get(FILE_DELETE_DELAY_MS);
    }

    /** {@code CreateTime} or {@code LogAppendTime}. */
    public String messageTimestampType() {
        return (String) values.get(MESSAGE_TIMESTAMP_TYPE);
    }

    public boolean uncleanLeaderElectionEnable() {
        return (Boolean) values.get(UNCLEAN_LEADER_ELECTION_ENABLE);
    }

    /** The settings of each of this topic's partition logs. */
    public LogConfig toLogConfig() {
        return LogConfig.builder()
                .segmentBytes(segmentBytes())
                .segmentMs(segmentMs())
                .indexIntervalBytes(indexIntervalBytes())
                .segmentIndexBytes(segmentIndexBytes())
                .maxMessageBytes(maxMessageBytes())
                .retentionMs(retentionMs())
                .retentionBytes(retentionBytes())
                .flushMessages(flushMessages())
                .flushMs(flushMs())
                .fileDeleteDelayMs(fileDeleteDelayMs())
                .backend(backend)
                .cleanupPolicy(cleanupPolicy())
                .deleteRetentionMs(deleteRetentionMs())
                .minCompactionLagMs(minCompactionLagMs())
                .minCleanableDirtyRatio(minCleanableDirtyRatio())
                .build();
    }

    @Override
    public String toString() {
        return "TopicConfig" + values;
    }

    private static ConfigSource source(BrokerConfig broker, TopicKey key, boolean overridden) {
        if (overridden) {
            return ConfigSource.DYNAMIC_TOPIC_CONFIG;
        }
        return broker.isSet(key.brokerKey().name()) || derivedKeySet(broker, key.brokerKey())
                ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
    }

    /** A derived broker key counts as set when any key it is derived from was set. */
    private static boolean derivedKeySet(BrokerConfig broker, ConfigKey<?> brokerKey) {
        if (brokerKey == BrokerKeys.LOG_RETENTION_MS) {
            return broker.isSet(BrokerKeys.LOG_RETENTION_MINUTES.name()) || broker.isSet(BrokerKeys.LOG_RETENTION_HOURS.name());
        }
        if (brokerKey == BrokerKeys.LOG_ROLL_MS) {
            return broker.isSet(BrokerKeys.LOG_ROLL_HOURS.name());
        }
        if (brokerKey == BrokerKeys.LOG_FLUSH_INTERVAL_MS) {
            return broker.isSet(BrokerKeys.LOG_FLUSH_SCHEDULER_INTERVAL_MS.name());
        }
        return false;
    }

    private static <T> TopicKey topicKey(String name, ValueParser<T> parser, ConfigKey<?> brokerKey,
            Function<BrokerConfig, Object> brokerDefault, String doc) {
        return new TopicKey(ConfigKey.derived(name, parser, brokerKey.name(), doc), brokerKey, brokerDefault);
    }

    private static Map<String, TopicKey> keys(TopicKey... keys) {
        Map<String, TopicKey> byName = new LinkedHashMap<>();
        for (TopicKey key : keys) {
            byName.put(key.key().name(), key);
        }
        return Collections.unmodifiableMap(byName);
    }
}

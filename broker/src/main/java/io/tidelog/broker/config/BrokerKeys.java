package io.tidelog.broker.config;

import static io.tidelog.broker.config.Parsers.bool;
import static io.tidelog.broker.config.Parsers.doubleBetween;
import static io.tidelog.broker.config.Parsers.endpoints;
import static io.tidelog.broker.config.Parsers.intAtLeast;
import static io.tidelog.broker.config.Parsers.intBetween;
import static io.tidelog.broker.config.Parsers.longAtLeast;
import static io.tidelog.broker.config.Parsers.nonEmptyList;
import static io.tidelog.broker.config.Parsers.oneOf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tidelog.broker.log.SegmentBackend;

/**
 * Every key a broker's configuration may contain. Names and defaults follow Apache Kafka where
 * Kafka has the key; {@code log.segment.backend} and {@code metrics.port} are Tidelog's own.
 * {@code docs/operations.md} lists the same keys (a test compares the two).
 */
public final class BrokerKeys {

    /** Smallest segment: room for a batch header and some records. Also the per-topic minimum. */
    public static final int MIN_SEGMENT_BYTES = 1024;
    /** Smallest index: one time-index entry (8-byte timestamp + 4-byte relative offset). */
    public static final int MIN_INDEX_BYTES = 12;

    public static final ConfigKey<Integer> NODE_ID = ConfigKey.of("node.id", intAtLeast(0), "1",
            "This broker's id, unique in the cluster.");
    public static final ConfigKey<List<Endpoint>> LISTENERS = ConfigKey.of("listeners", endpoints(),
            "PLAINTEXT://127.0.0.1:9092",
            "Where the broker accepts client connections, NAME://host:port. Only PLAINTEXT exists. "
                    + "An empty host binds every interface; port 0 binds a free port.");
    public static final ConfigKey<List<Endpoint>> ADVERTISED_LISTENERS = ConfigKey.derived("advertised.listeners",
            endpoints(), "listeners",
            "The addresses given to clients in metadata. Port 0 advertises the port actually bound.");
    public static final ConfigKey<List<String>> LOG_DIRS = ConfigKey.derived("log.dirs", nonEmptyList(), "log.dir",
            "Comma-separated directories holding partition logs; relative paths are resolved against "
                    + "the working directory.");
    public static final ConfigKey<String> LOG_DIR = ConfigKey.of("log.dir", text -> text, "./data",
            "The log directory when log.dirs is not set.");
    public static final ConfigKey<Integer> NUM_PARTITIONS = ConfigKey.of("num.partitions", intAtLeast(1), "1",
            "Partitions of a topic created without a partition count (auto-created or -1).");
    public static final ConfigKey<Integer> DEFAULT_REPLICATION_FACTOR = ConfigKey.of("default.replication.factor",
            intBetween(1, Short.MAX_VALUE), "1",
            "Replication factor of a topic created without one.");
    public static final ConfigKey<Integer> MIN_INSYNC_REPLICAS = ConfigKey.of("min.insync.replicas", intAtLeast(1), "1",
            "Fewest in-sync replicas an acks=all produce needs; fewer fails with NOT_ENOUGH_REPLICAS. "
                    + "Default of the topic key min.insync.replicas.");
    public static final ConfigKey<Boolean> AUTO_CREATE_TOPICS_ENABLE = ConfigKey.of("auto.create.topics.enable", bool(),
            "true", "Create a topic when a client asks metadata for, or produces to, one that does not exist.");
    public static final ConfigKey<Integer> LOG_SEGMENT_BYTES = ConfigKey.of("log.segment.bytes",
            intAtLeast(MIN_SEGMENT_BYTES), "1073741824",
            "Size at which a segment is rolled (bytes); segments are preallocated to it. Topic key segment.bytes.");
    public static final ConfigKey<Long> LOG_ROLL_MS = ConfigKey.derived("log.roll.ms", longAtLeast(1), "log.roll.hours",
            "Age at which a non-empty active segment is rolled (ms). Topic key segment.ms.");
    public static final ConfigKey<Integer> LOG_ROLL_HOURS = ConfigKey.of("log.roll.hours", intAtLeast(1), "168",
            "log.roll.ms in hours, used when log.roll.ms is not set.");
    public static final ConfigKey<Long> LOG_RETENTION_MS = ConfigKey.derived("log.retention.ms", longAtLeast(-1),
            "log.retention.minutes",
            "Age after which a segment is deleted (ms); -1 keeps data forever. Topic key retention.ms.");
    public static final ConfigKey<Integer> LOG_RETENTION_MINUTES = ConfigKey.derived("log.retention.minutes",
            intAtLeast(-1), "log.retention.hours", "log.retention.ms in minutes, used when log.retention.ms is not set.");
    public static final ConfigKey<Integer> LOG_RETENTION_HOURS = ConfigKey.of("log.retention.hours", intAtLeast(-1),
            "168", "log.retention.ms in hours, used when neither log.retention.ms nor log.retention.minutes is set.");
    public static final ConfigKey<Long> LOG_RETENTION_BYTES = ConfigKey.of("log.retention.bytes", longAtLeast(-1), "-1",
            "Size a partition's log may reach before its oldest segments are deleted; -1 means no limit. "
                    + "Topic key retention.bytes.");
    public static final ConfigKey<Long> LOG_RETENTION_CHECK_INTERVAL_MS = ConfigKey.of("log.retention.check.interval.ms",
            longAtLeast(1), "300000", "How often retention looks for segments to delete (ms).");
    public static final ConfigKey<Integer> LOG_INDEX_INTERVAL_BYTES = ConfigKey.of("log.index.interval.bytes",
            intAtLeast(0), "4096", "Log bytes between two offset-index entries. Topic key index.interval.bytes.");
    public static final ConfigKey<Integer> LOG_INDEX_SIZE_MAX_BYTES = ConfigKey.of("log.index.size.max.bytes",
            intAtLeast(MIN_INDEX_BYTES), "10485760",
            "Size of a segment's offset and time index files (bytes); a full index rolls the segment. "
                    + "Topic key segment.index.bytes.");
    public static final ConfigKey<Long> LOG_FLUSH_INTERVAL_MESSAGES = ConfigKey.of("log.flush.interval.messages",
            longAtLeast(1), String.valueOf(Long.MAX_VALUE),
            "Records appended to a partition before it is fsynced. Topic key flush.messages.");
    public static final ConfigKey<Long> LOG_FLUSH_INTERVAL_MS = ConfigKey.derived("log.flush.interval.ms",
            longAtLeast(0), "log.flush.scheduler.interval.ms",
            "Longest time appended data stays unfsynced (ms). Topic key flush.ms.");
    public static final ConfigKey<Long> LOG_FLUSH_SCHEDULER_INTERVAL_MS = ConfigKey.of("log.flush.scheduler.interval.ms",
            longAtLeast(1), String.valueOf(Long.MAX_VALUE), "How often the background flusher checks flush.ms (ms).");
    public static final ConfigKey<Long> LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = ConfigKey.of(
            "log.flush.offset.checkpoint.interval.ms", longAtLeast(1), "60000",
            "How often recovery points are checkpointed (ms); recovery after a crash scans from there.");
    public static final ConfigKey<Long> LOG_SEGMENT_DELETE_DELAY_MS = ConfigKey.of("log.segment.delete.delay.ms",
            longAtLeast(0), "60000",
            "How long a deleted segment waits, renamed *.deleted, before its files are removed (ms). "
                    + "Topic key file.delete.delay.ms.");
    public static final ConfigKey<String> LOG_CLEANUP_POLICY = ConfigKey.of("log.cleanup.policy",
            Parsers.cleanupPolicy(), "delete",
            "delete, compact or compact,delete. Topic key cleanup.policy.");
    public static final ConfigKey<Boolean> LOG_CLEANER_ENABLE = ConfigKey.of("log.cleaner.enable", bool(), "true",
            "Run the log cleaner, which compacts topics with cleanup.policy compact or compact,delete.");
    public static final ConfigKey<Integer> LOG_CLEANER_THREADS = ConfigKey.of("log.cleaner.threads", intAtLeast(1), "1",
            "Cleaner threads; each cleans one partition log at a time.");
    public static final ConfigKey<Long> LOG_CLEANER_BACKOFF_MS = ConfigKey.of("log.cleaner.backoff.ms", longAtLeast(1),
            "15000", "How long an idle cleaner thread waits before looking for a log to clean again (ms).");
    public static final ConfigKey<Long> LOG_CLEANER_DEDUPE_BUFFER_SIZE = ConfigKey.of("log.cleaner.dedupe.buffer.size",
            longAtLeast(65536), "16777216",
            "Memory of the cleaners' key-to-offset maps, shared by all cleaner threads (bytes; 24 bytes per key). "
                    + "Kafka's default is 128 MiB; a cleaning covers as many dirty segments as fit.");
    public static final ConfigKey<Double> LOG_CLEANER_MIN_CLEANABLE_RATIO = ConfigKey.of(
            "log.cleaner.min.cleanable.ratio", doubleBetween(0, 1), "0.5",
            "Share of a log's cleanable bytes that must be dirty (written since the last cleaning) before it is "
                    + "cleaned. Topic key min.cleanable.dirty.ratio.");
    public static final ConfigKey<Long> LOG_CLEANER_DELETE_RETENTION_MS = ConfigKey.of(
            "log.cleaner.delete.retention.ms", longAtLeast(0), "86400000",
            "How long a tombstone (null value) survives after the cleaner passed it, so consumers see the delete "
                    + "(ms). Topic key delete.retention.ms.");
    public static final ConfigKey<Long> LOG_CLEANER_MIN_COMPACTION_LAG_MS = ConfigKey.of(
            "log.cleaner.min.compaction.lag.ms", longAtLeast(0), "0",
            "Least age of a record before it may be compacted away (ms). Topic key min.compaction.lag.ms.");
    public static final ConfigKey<String> LOG_MESSAGE_TIMESTAMP_TYPE = ConfigKey.of("log.message.timestamp.type",
            oneOf("CreateTime", "LogAppendTime"), "CreateTime",
            "CreateTime keeps the producer's timestamps; LogAppendTime stamps the broker's clock. "
                    + "Topic key message.timestamp.type.");
    public static final ConfigKey<String> LOG_SEGMENT_BACKEND = ConfigKey.of("log.segment.backend",
            oneOf("nio", "chronicle"), SegmentBackend.DEFAULT.name().toLowerCase(Locale.ROOT),
            "How segments and indexes are memory-mapped: nio (MappedByteBuffer) or chronicle (Chronicle Bytes).");
    public static final ConfigKey<Boolean> UNCLEAN_LEADER_ELECTION_ENABLE = ConfigKey.of(
            "unclean.leader.election.enable", bool(), "false",
            "Allow a replica outside the ISR to become leader (may lose data). Topic key of the same name.");
    public static final ConfigKey<Integer> MESSAGE_MAX_BYTES = ConfigKey.of("message.max.bytes", intAtLeast(0),
            "1048588", "Largest record batch a partition accepts (bytes). Topic key max.message.bytes.");
    public static final ConfigKey<Integer> SOCKET_REQUEST_MAX_BYTES = ConfigKey.of("socket.request.max.bytes",
            intAtLeast(1), "104857600",
            "Largest request frame accepted (bytes); a larger length prefix closes the connection before "
                    + "anything is allocated.");
    public static final ConfigKey<Integer> NUM_NETWORK_THREADS = ConfigKey.derived("num.network.threads",
            intAtLeast(1), "available processors",
            "Network event-loop threads; they also own partitions (one writer per partition).");
    public static final ConfigKey<Integer> NUM_IO_THREADS = ConfigKey.derived("num.io.threads", intAtLeast(1),
            "available processors", "Threads for blocking work (fsync, file deletion, recovery).");
    public static final ConfigKey<Long> REPLICA_LAG_TIME_MAX_MS = ConfigKey.of("replica.lag.time.max.ms",
            longAtLeast(1), "30000", "A follower not caught up for this long (ms) leaves the ISR.");
    public static final ConfigKey<Integer> GROUP_INITIAL_REBALANCE_DELAY_MS = ConfigKey.of(
            "group.initial.rebalance.delay.ms", intAtLeast(0), "3000",
            "How long a new consumer group waits for more members before its first rebalance (ms).");
    public static final ConfigKey<Integer> OFFSETS_RETENTION_MINUTES = ConfigKey.of("offsets.retention.minutes",
            intAtLeast(1), "10080", "How long committed offsets of an empty group are kept (minutes).");
    public static final ConfigKey<Long> OFFSETS_RETENTION_CHECK_INTERVAL_MS = ConfigKey.of(
            "offsets.retention.check.interval.ms", longAtLeast(1), "600000",
            "How often expired committed offsets are looked for (ms).");
    public static final ConfigKey<Integer> OFFSETS_TOPIC_NUM_PARTITIONS = ConfigKey.of("offsets.topic.num.partitions",
            intAtLeast(1), "10",
            "Partitions of __consumer_offsets when it is created (Kafka: 50; a single node needs fewer).");
    public static final ConfigKey<Integer> OFFSETS_TOPIC_SEGMENT_BYTES = ConfigKey.of("offsets.topic.segment.bytes",
            intAtLeast(MIN_SEGMENT_BYTES), "104857600", "Segment size of __consumer_offsets (bytes).");
    public static final ConfigKey<Integer> OFFSETS_COMMIT_TIMEOUT_MS = ConfigKey.of("offsets.commit.timeout.ms",
            intAtLeast(1), "5000", "How long an offset commit waits for its append to __consumer_offsets (ms).");
    public static final ConfigKey<Integer> OFFSET_METADATA_MAX_BYTES = ConfigKey.of("offset.metadata.max.bytes",
            intAtLeast(0), "4096", "Largest metadata string accepted with a committed offset (bytes).");
    public static final ConfigKey<Integer> GROUP_MIN_SESSION_TIMEOUT_MS = ConfigKey.of("group.min.session.timeout.ms",
            intAtLeast(0), "6000", "Smallest session timeout a group member may ask for (ms).");
    public static final ConfigKey<Integer> GROUP_MAX_SESSION_TIMEOUT_MS = ConfigKey.of("group.max.session.timeout.ms",
            intAtLeast(0), "1800000", "Largest session timeout a group member may ask for (ms).");
    public static final ConfigKey<Integer> GROUP_MAX_SIZE = ConfigKey.of("group.max.size", intAtLeast(1),
            String.valueOf(Integer.MAX_VALUE), "Most members one consumer group may have.");
    public static final ConfigKey<Integer> METRICS_PORT = ConfigKey.of("metrics.port", intBetween(-1, 65535), "-1",
            "Port of the Prometheus endpoint /metrics on the listener's host; -1 disables it, 0 picks a free port.");

    /** Every key, in the order the operations guide lists them. */
    public static final Map<String, ConfigKey<?>> ALL = index(
            NODE_ID, LISTENERS, ADVERTISED_LISTENERS, LOG_DIRS, LOG_DIR,
            NUM_PARTITIONS, DEFAULT_REPLICATION_FACTOR, MIN_INSYNC_REPLICAS, AUTO_CREATE_TOPICS_ENABLE,
            LOG_SEGMENT_BYTES, LOG_ROLL_MS, LOG_ROLL_HOURS,
            LOG_RETENTION_MS, LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS, LOG_RETENTION_BYTES,
            LOG_RETENTION_CHECK_INTERVAL_MS, LOG_INDEX_INTERVAL_BYTES, LOG_INDEX_SIZE_MAX_BYTES,
            LOG_FLUSH_INTERVAL_MESSAGES, LOG_FLUSH_INTERVAL_MS, LOG_FLUSH_SCHEDULER_INTERVAL_MS,
            LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, LOG_SEGMENT_DELETE_DELAY_MS, LOG_CLEANUP_POLICY,
            LOG_CLEANER_ENABLE, LOG_CLEANER_THREADS, LOG_CLEANER_BACKOFF_MS, LOG_CLEANER_DEDUPE_BUFFER_SIZE,
            LOG_CLEANER_MIN_CLEANABLE_RATIO, LOG_CLEANER_DELETE_RETENTION_MS, LOG_CLEANER_MIN_COMPACTION_LAG_MS,
            LOG_MESSAGE_TIMESTAMP_TYPE, LOG_SEGMENT_BACKEND, UNCLEAN_LEADER_ELECTION_ENABLE,
            MESSAGE_MAX_BYTES, SOCKET_REQUEST_MAX_BYTES, NUM_NETWORK_THREADS, NUM_IO_THREADS,
            REPLICA_LAG_TIME_MAX_MS, GROUP_INITIAL_REBALANCE_DELAY_MS, GROUP_MIN_SESSION_TIMEOUT_MS,
            GROUP_MAX_SESSION_TIMEOUT_MS, GROUP_MAX_SIZE, OFFSETS_RETENTION_MINUTES, OFFSETS_RETENTION_CHECK_INTERVAL_MS,
            OFFSETS_TOPIC_NUM_PARTITIONS, OFFSETS_TOPIC_SEGMENT_BYTES, OFFSETS_COMMIT_TIMEOUT_MS,
            OFFSET_METADATA_MAX_BYTES, METRICS_PORT);

    private BrokerKeys() {
    }

    static Map<String, ConfigKey<?>> index(ConfigKey<?>... keys) {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
            if (byName.put(key.name(), key) != null) {
                throw new IllegalStateException("duplicate key " + key.name());
            }
        }
        return java.util.Collections.unmodifiableMap(byName);
    }
}

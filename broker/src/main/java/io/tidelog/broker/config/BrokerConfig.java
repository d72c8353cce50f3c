package io.tidelog.broker.config;

import static io.tidelog.broker.config.BrokerKeys.*;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.tidelog.broker.log.CleanerConfig;
import io.tidelog.broker.log.LogConfig;
import io.tidelog.broker.log.SegmentBackend;

/**
 * A broker's configuration: typed, validated once at startup, immutable afterwards.
 *
 * <p>Built from key/value settings (a properties file, then {@code --override key=value}
 * arguments, later ones winning). Every key must be one of {@link BrokerKeys#ALL}; an unknown key or
 * a value that does not parse is a {@link ConfigException} naming the key, never silently ignored.
 * Keys that share a meaning resolve the way Kafka's do: {@code log.dirs} over {@code log.dir},
 * {@code log.roll.ms} over {@code log.roll.hours}, {@code log.retention.ms} over
 * {@code .minutes} over {@code .hours}, {@code log.flush.interval.ms} over
 * {@code log.flush.scheduler.interval.ms}.
 */
public final class BrokerConfig {

    private static final long MS_PER_MINUTE = 60_000L;
    private static final long MS_PER_HOUR = 3_600_000L;

    private final Map<String, String> explicit;
    private final Map<String, String> effective;

    private final int nodeId;
    private final Endpoint listener;
    private final Endpoint advertisedListener;
    private final List<Path> logDirs;
    private final int numPartitions;
    private final short defaultReplicationFactor;
    private final int minInsyncReplicas;
    private final boolean autoCreateTopicsEnable;
    private final int logSegmentBytes;
    private final long logRollMs;
    private final long logRetentionMs;
    private final long logRetentionBytes;
    private final long logRetentionCheckIntervalMs;
    private final int logIndexIntervalBytes;
    private final int logIndexSizeMaxBytes;
    private final long logFlushIntervalMessages;
    private final long logFlushIntervalMs;
    private final long logFlushSchedulerIntervalMs;
    private final long logFlushOffsetCheckpointIntervalMs;
    private final long logSegmentDeleteDelayMs;
    private final String logCleanupPolicy;
    private final CleanerConfig cleanerConfig;
    private final double logCleanerMinCleanableRatio;
    private final long logCleanerDeleteRetentionMs;
    private final long logCleanerMinCompactionLagMs;
    private final String logMessageTimestampType;
    private final String logSegmentBackend;
    private final boolean uncleanLeaderElectionEnable;
    private final int messageMaxBytes;
    private final int socketRequestMaxBytes;
    private final int numNetworkThreads;
    private final int numIoThreads;
    private final long replicaLagTimeMaxMs;
    private final int groupInitialRebalanceDelayMs;
    private final int offsetsRetentionMinutes;
    private final int metricsPort;

    private BrokerConfig(Map<String, String> settings) {
        this.explicit = checkKeys(settings);
        Map<String, String> values = new LinkedHashMap<>();

        nodeId = put(values, NODE_ID, NODE_ID.parse(get(NODE_ID)));
        listener = LISTENERS.parse(get(LISTENERS)).get(0);
        values.put(LISTENERS.name(), listener.toString());
        advertisedListener = advertised(listener, ADVERTISED_LISTENERS.parse(get(ADVERTISED_LISTENERS)));
        values.put(ADVERTISED_LISTENERS.name(), advertisedListener.toString());
        logDirs = logDirs(values);
        numPartitions = put(values, NUM_PARTITIONS, NUM_PARTITIONS.parse(get(NUM_PARTITIONS)));
        defaultReplicationFactor = put(values, DEFAULT_REPLICATION_FACTOR,
                DEFAULT_REPLICATION_FACTOR.parse(get(DEFAULT_REPLICATION_FACTOR))).shortValue();
        minInsyncReplicas = put(values, MIN_INSYNC_REPLICAS, MIN_INSYNC_REPLICAS.parse(get(MIN_INSYNC_REPLICAS)));
        autoCreateTopicsEnable = put(values, AUTO_CREATE_TOPICS_ENABLE,
                AUTO_CREATE_TOPICS_ENABLE.parse(get(AUTO_CREATE_TOPICS_ENABLE)));
        logSegmentBytes = put(values, LOG_SEGMENT_BYTES, LOG_SEGMENT_BYTES.parse(get(LOG_SEGMENT_BYTES)));
        logRollMs = rollMs(values);
        logRetentionMs = retentionMs(values);
        logRetentionBytes = put(values, LOG_RETENTION_BYTES, LOG_RETENTION_BYTES.parse(get(LOG_RETENTION_BYTES)));
        logRetentionCheckIntervalMs = put(values, LOG_RETENTION_CHECK_INTERVAL_MS,
                LOG_RETENTION_CHECK_INTERVAL_MS.parse(get(LOG_RETENTION_CHECK_INTERVAL_MS)));
        logIndexIntervalBytes = put(values, LOG_INDEX_INTERVAL_BYTES,
                LOG_INDEX_INTERVAL_BYTES.parse(get(LOG_INDEX_INTERVAL_BYTES)));
        logIndexSizeMaxBytes = put(values, LOG_INDEX_SIZE_MAX_BYTES,
                LOG_INDEX_SIZE_MAX_BYTES.parse(get(LOG_INDEX_SIZE_MAX_BYTES)));
        logFlushIntervalMessages = put(values, LOG_FLUSH_INTERVAL_MESSAGES,
                LOG_FLUSH_INTERVAL_MESSAGES.parse(get(LOG_FLUSH_INTERVAL_MESSAGES)));
        logFlushSchedulerIntervalMs = LOG_FLUSH_SCHEDULER_INTERVAL_MS.parse(get(LOG_FLUSH_SCHEDULER_INTERVAL_MS));
        Long flushMs = LOG_FLUSH_INTERVAL_MS.parse(get(LOG_FLUSH_INTERVAL_MS));
        logFlushIntervalMs = put(values, LOG_FLUSH_INTERVAL_MS, flushMs != null ? flushMs : logFlushSchedulerIntervalMs);
        values.put(LOG_FLUSH_SCHEDULER_INTERVAL_MS.name(), Long.toString(logFlushSchedulerIntervalMs));
        logFlushOffsetCheckpointIntervalMs = put(values, LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS,
                LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS.parse(get(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS)));
        logSegmentDeleteDelayMs = put(values, LOG_SEGMENT_DELETE_DELAY_MS,
                LOG_SEGMENT_DELETE_DELAY_MS.parse(get(LOG_SEGMENT_DELETE_DELAY_MS)));
        logCleanupPolicy = put(values, LOG_CLEANUP_POLICY, LOG_CLEANUP_POLICY.parse(get(LOG_CLEANUP_POLICY)));
        cleanerConfig = cleanerConfig(values);
        logCleanerMinCleanableRatio = put(values, LOG_CLEANER_MIN_CLEANABLE_RATIO,
                LOG_CLEANER_MIN_CLEANABLE_RATIO.parse(get(LOG_CLEANER_MIN_CLEANABLE_RATIO)));
        logCleanerDeleteRetentionMs = put(values, LOG_CLEANER_DELETE_RETENTION_MS,
                LOG_CLEANER_DELETE_RETENTION_MS.parse(get(LOG_CLEANER_DELETE_RETENTION_MS)));
        logCleanerMinCompactionLagMs = put(values, LOG_CLEANER_MIN_COMPACTION_LAG_MS,
                LOG_CLEANER_MIN_COMPACTION_LAG_MS.parse(get(LOG_CLEANER_MIN_COMPACTION_LAG_MS)));
        logMessageTimestampType = put(values, LOG_MESSAGE_TIMESTAMP_TYPE,
                LOG_MESSAGE_TIMESTAMP_TYPE.parse(get(LOG_MESSAGE_TIMESTAMP_TYPE)));
        logSegmentBackend = put(values, LOG_SEGMENT_BACKEND, LOG_SEGMENT_BACKEND.parse(get(LOG_SEGMENT_BACKEND)));
        uncleanLeaderElectionEnable = put(values, UNCLEAN_LEADER_ELECTION_ENABLE,
                UNCLEAN_LEADER_ELECTION_ENABLE.parse(get(UNCLEAN_LEADER_ELECTION_ENABLE)));
        messageMaxBytes = put(values, MESSAGE_MAX_BYTES, MESSAGE_MAX_BYTES.parse(get(MESSAGE_MAX_BYTES)));
        socketRequestMaxBytes = put(values, SOCKET_REQUEST_MAX_BYTES,
                SOCKET_REQUEST_MAX_BYTES.parse(get(SOCKET_REQUEST_MAX_BYTES)));
        int processors = Runtime.getRuntime().availableProcessors();
        numNetworkThreads = put(values, NUM_NETWORK_THREADS, orDefault(NUM_NETWORK_THREADS.parse(get(NUM_NETWORK_THREADS)), processors));
        numIoThreads = put(values, NUM_IO_THREADS, orDefault(NUM_IO_THREADS.parse(get(NUM_IO_THREADS)), processors));
        replicaLagTimeMaxMs = put(values, REPLICA_LAG_TIME_MAX_MS, REPLICA_LAG_TIME_MAX_MS.parse(get(REPLICA_LAG_TIME_MAX_MS)));
        groupInitialRebalanceDelayMs = put(values, GROUP_INITIAL_REBALANCE_DELAY_MS,
                GROUP_INITIAL_REBALANCE_DELAY_MS.parse(get(GROUP_INITIAL_REBALANCE_DELAY_MS)));
        offsetsRetentionMinutes = put(values, OFFSETS_RETENTION_MINUTES,
                OFFSETS_RETENTION_MINUTES.parse(get(OFFSETS_RETENTION_MINUTES)));
        metricsPort = put(values, METRICS_PORT, METRICS_PORT.parse(get(METRICS_PORT)));
        parseRemaining(values);
        checkSessionTimeoutRange(values);

        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : BrokerKeys.ALL.keySet()) {
            ordered.put(name, values.get(name));
        }
        this.effective = Collections.unmodifiableMap(ordered);
    }

    /** Zero configuration: a single-node broker on 127.0.0.1:9092 with data in {@code ./data}. */
    public static BrokerConfig defaults() {
        return new BrokerConfig(Map.of());
    }

    /**
     * Validates {@code settings} (key → value text).
     *
     * @throws ConfigException for the first unknown key or bad value, naming it
     */
    public static BrokerConfig from(Map<String, String> settings) {
        return new BrokerConfig(settings);
    }

    /**
     * Reads {@code propertiesFile} (null: none) and applies {@code overrides} on top.
     *
     * @throws ConfigException when the file cannot be read or any setting is invalid
     */
    public static BrokerConfig load(Path propertiesFile, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (propertiesFile != null) {
            settings.putAll(readProperties(propertiesFile));
        }
        settings.putAll(overrides);
        return new BrokerConfig(settings);
    }

    /**
     * Parses {@code key=value} arguments ({@code --override}); a later one wins over an earlier one.
     *
     * @throws ConfigException for an argument without {@code =} or with an empty key
     */
    public static Map<String, String> parseOverrides(List<String> arguments) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            String key = equals < 0 ? argument.trim() : argument.substring(0, equals).trim();
            if (equals <= 0 || key.isEmpty()) {
                throw new ConfigException(key, "Invalid override '" + argument + "': expected key=value");
            }
            overrides.put(key, argument.substring(equals + 1));
        }
        return overrides;
    }

    static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "Configuration file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("", "Cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            settings.put(name, properties.getProperty(name));
        }
        return settings;
    }

    private static Map<String, String> checkKeys(Map<String, String> settings) {
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            String key = entry.getKey().trim();
            if (!BrokerKeys.ALL.containsKey(key)) {
                throw KeySuggestions.unknownKey(key, BrokerKeys.ALL.keySet(), "configuration key");
            }
            if (entry.getValue() == null) {
                throw ConfigException.invalidValue(key, "null", "a value is required");
            }
            checked.put(key, entry.getValue().trim());
        }
        return Collections.unmodifiableMap(checked);
    }

    private String get(ConfigKey<?> key) {
        return explicit.get(key.name());
    }

    private static <T> T put(Map<String, String> values, ConfigKey<?> key, T value) {
        values.put(key.name(), String.valueOf(value));
        return value;
    }

    private static int orDefault(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    /** Validates every key without a typed field of its own; consumers read them from {@link #effectiveValues()}. */
    private void parseRemaining(Map<String, String> values) {
        for (ConfigKey<?> key : BrokerKeys.ALL.values()) {
            if (!values.containsKey(key.name())) {
                values.put(key.name(), String.valueOf(key.parse(get(key))));
            }
        }
    }

    private void checkSessionTimeoutRange(Map<String, String> values) {
        int min = Integer.parseInt(values.get(GROUP_MIN_SESSION_TIMEOUT_MS.name()));
        int max = Integer.parseInt(values.get(GROUP_MAX_SESSION_TIMEOUT_MS.name()));
        if (max < min) {
            throw ConfigException.invalidValue(GROUP_MAX_SESSION_TIMEOUT_MS.name(), Integer.toString(max),
                    "must be at least group.min.session.timeout.ms (" + min + ")");
        }
    }

    private static Endpoint advertised(Endpoint listener, List<Endpoint> configured) {
        if (configured == null) {
            if (listener.host().isEmpty()) {
                return new Endpoint(listener.listenerName(), canonicalLocalHostName(), listener.port());
            }
            if (listener.bindsAllInterfaces()) {
                throw ConfigException.invalidValue(ADVERTISED_LISTENERS.name(), "",
                        "must be set when listeners binds the wildcard address " + listener.host()
                                + " (clients cannot connect to it)");
            }
            return listener;
        }
        Endpoint advertised = configured.get(0);
        if (advertised.bindsAllInterfaces()) {
            throw ConfigException.invalidValue(ADVERTISED_LISTENERS.name(), advertised.toString(),
                    "must name a host clients can connect to, not a wildcard or empty host");
        }
        return advertised;
    }

    private static String canonicalLocalHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private List<Path> logDirs(Map<String, String> values) {
        String dir = put(values, LOG_DIR, LOG_DIR.parse(get(LOG_DIR)));
        if (dir.isEmpty()) {
            throw ConfigException.invalidValue(LOG_DIR.name(), dir, "must not be empty");
        }
        List<String> texts = LOG_DIRS.parse(get(LOG_DIRS));
        String sourceKey = texts != null ? LOG_DIRS.name() : LOG_DIR.name();
        List<Path> dirs = new ArrayList<>();
        for (String text : texts != null ? texts : List.of(dir)) {
            Path path;
            try {
                path = Paths.get(text).toAbsolutePath().normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw ConfigException.invalidValue(sourceKey, text, "not a valid path");
            }
            if (dirs.contains(path)) {
                throw ConfigException.invalidValue(sourceKey, get(LOG_DIRS), "lists " + path + " twice");
            }
            dirs.add(path);
        }
        values.put(LOG_DIRS.name(), String.join(",", dirs.stream().map(Path::toString).toList()));
        return List.copyOf(dirs);
    }

    private long rollMs(Map<String, String> values) {
        int hours = put(values, LOG_ROLL_HOURS, LOG_ROLL_HOURS.parse(get(LOG_ROLL_HOURS)));
        Long ms = LOG_ROLL_MS.parse(get(LOG_ROLL_MS));
        return put(values, LOG_ROLL_MS, ms != null ? ms : hours * MS_PER_HOUR);
    }

    private long retentionMs(Map<String, String> values) {
        int hours = put(values, LOG_RETENTION_HOURS, LOG_RETENTION_HOURS.parse(get(LOG_RETENTION_HOURS)));
        Integer minutes = LOG_RETENTION_MINUTES.parse(get(LOG_RETENTION_MINUTES));
        Long ms = LOG_RETENTION_MS.parse(get(LOG_RETENTION_MS));
        long retention;
        if (ms != null) {
            retention = ms;
        } else if (minutes != null) {
            retention = minutes < 0 ? -1 : minutes * MS_PER_MINUTE;
        } else {
            retention = hours < 0 ? -1 : hours * MS_PER_HOUR;
        }
        values.put(LOG_RETENTION_MINUTES.name(), minutes != null ? minutes.toString()
                : Long.toString(retention < 0 ? -1 : retention / MS_PER_MINUTE));
        return put(values, LOG_RETENTION_MS, retention);
    }

    // ---------------------------------------------------------------- typed values

    public int nodeId() {
        return nodeId;
    }

    /** The endpoint to bind. Port 0 means "any free port". */
    public Endpoint listener() {
        return listener;
    }

    /** The endpoint clients are told to connect to. Port 0 means "the port actually bound". */
    public Endpoint advertisedListener() {
        return advertisedListener;
    }

    /** {@link #advertisedListener()} with port 0 replaced by {@code boundPort}. */
    public Endpoint advertisedListener(int boundPort) {
        return advertisedListener.port() == 0 ? advertisedListener.withPort(boundPort) : advertisedListener;
    }

    /** Absolute, normalised, distinct log directories; at least one. */
    public List<Path> logDirs() {
        return logDirs;
    }

    public int numPartitions() {
        return numPartitions;
    }

    public short defaultReplicationFactor() {
        return defaultReplicationFactor;
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    public boolean autoCreateTopicsEnable() {
        return autoCreateTopicsEnable;
    }

    public int logSegmentBytes() {
        return logSegmentBytes;
    }

    public long logRollMs() {
        return logRollMs;
    }

    /** Effective retention time in ms after the ms/minutes/hours precedence; -1 = unlimited. */
    public long logRetentionMs() {
        return logRetentionMs;
    }

    /** -1 = unlimited. */
    public long logRetentionBytes() {
        return logRetentionBytes;
    }

    public long logRetentionCheckIntervalMs() {
        return logRetentionCheckIntervalMs;
    }

    public int logIndexIntervalBytes() {
        return logIndexIntervalBytes;
    }

    public int logIndexSizeMaxBytes() {
        return logIndexSizeMaxBytes;
    }

    public long logFlushIntervalMessages() {
        return logFlushIntervalMessages;
    }

    public long logFlushIntervalMs() {
        return logFlushIntervalMs;
    }

    public long logFlushSchedulerIntervalMs() {
        return logFlushSchedulerIntervalMs;
    }

    public long logFlushOffsetCheckpointIntervalMs() {
        return logFlushOffsetCheckpointIntervalMs;
    }

    public long logSegmentDeleteDelayMs() {
        return logSegmentDeleteDelayMs;
    }

    /** {@code delete}, {@code compact} or {@code compact,delete}. */
    public String logCleanupPolicy() {
        return logCleanupPolicy;
    }

    /** The log cleaner's broker-wide settings ({@code log.cleaner.*}). */
    public CleanerConfig cleanerConfig() {
        return cleanerConfig;
    }

    private CleanerConfig cleanerConfig(Map<String, String> values) {
        boolean enabled = put(values, LOG_CLEANER_ENABLE, LOG_CLEANER_ENABLE.parse(get(LOG_CLEANER_ENABLE)));
        int threads = put(values, LOG_CLEANER_THREADS, LOG_CLEANER_THREADS.parse(get(LOG_CLEANER_THREADS)));
        long backoffMs = put(values, LOG_CLEANER_BACKOFF_MS, LOG_CLEANER_BACKOFF_MS.parse(get(LOG_CLEANER_BACKOFF_MS)));
        long dedupe = put(values, LOG_CLEANER_DEDUPE_BUFFER_SIZE,
                LOG_CLEANER_DEDUPE_BUFFER_SIZE.parse(get(LOG_CLEANER_DEDUPE_BUFFER_SIZE)));
        try {
            return new CleanerConfig(enabled, threads, backoffMs, dedupe);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalidValue(LOG_CLEANER_DEDUPE_BUFFER_SIZE.name(), String.valueOf(dedupe),
                    "must give each of the " + threads + " cleaner threads at least "
                            + CleanerConfig.MIN_DEDUPE_BUFFER_BYTES + " bytes");
        }
    }

    /** Default of the topic key {@code min.cleanable.dirty.ratio}. */
    public double logCleanerMinCleanableRatio() {
        return logCleanerMinCleanableRatio;
    }

    /** Default of the topic key {@code delete.retention.ms}. */
    public long logCleanerDeleteRetentionMs() {
        return logCleanerDeleteRetentionMs;
    }

    /** Default of the topic key {@code min.compaction.lag.ms}. */
    public long logCleanerMinCompactionLagMs() {
        return logCleanerMinCompactionLagMs;
    }

    /** {@code CreateTime} or {@code LogAppendTime}. */
    public String logMessageTimestampType() {
        return logMessageTimestampType;
    }

    /** {@code nio} or {@code chronicle}. */
    public String logSegmentBackend() {
        return logSegmentBackend;
    }

    /** {@link #logSegmentBackend()} as the storage layer's enum. */
    public SegmentBackend segmentBackend() {
        return SegmentBackend.valueOf(logSegmentBackend.toUpperCase(java.util.Locale.ROOT));
    }

    /** The log settings of a topic without overrides: the broker's {@code log.*} defaults. */
    public LogConfig defaultLogConfig() {
        return TopicConfig.defaults(this).toLogConfig();
    }

    public boolean uncleanLeaderElectionEnable() {
        return uncleanLeaderElectionEnable;
    }

    public int messageMaxBytes() {
        return messageMaxBytes;
    }

    public int socketRequestMaxBytes() {
        return socketRequestMaxBytes;
    }

    public int numNetworkThreads() {
        return numNetworkThreads;
    }

    public int numIoThreads() {
        return numIoThreads;
    }

    public long replicaLagTimeMaxMs() {
        return replicaLagTimeMaxMs;
    }

    public int groupInitialRebalanceDelayMs() {
        return groupInitialRebalanceDelayMs;
    }

    public int offsetsRetentionMinutes() {
        return offsetsRetentionMinutes;
    }

    /** -1 = no metrics endpoint; 0 = a free port. */
    public int metricsPort() {
        return metricsPort;
    }

    // ---------------------------------------------------------------- describing

    /** True when {@code key} was set by the properties file or an override (not defaulted). */
    public boolean isSet(String key) {
        return explicit.containsKey(key);
    }

    /** The settings exactly as given (keys validated, values trimmed). */
    public Map<String, String> explicitSettings() {
        return explicit;
    }

    /** The effective value of every key as text, including derived ones, in {@link BrokerKeys#ALL} order. */
    public Map<String, String> effectiveValues() {
        return effective;
    }

    /** Every key with its effective value and source, for DescribeConfigs on the broker resource. */
    public List<ConfigEntry> entries() {
        List<ConfigEntry> entries = new ArrayList<>(effective.size());
        for (Map.Entry<String, String> entry : effective.entrySet()) {
            ConfigSource source = isSet(entry.getKey()) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
            entries.add(new ConfigEntry(entry.getKey(), entry.getValue(), source));
        }
        return entries;
    }

    /** One {@code key = value} line per key, for the startup log. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("BrokerConfig values:");
        effective.forEach((key, value) -> text.append(System.lineSeparator()).append('\t').append(key)
                .append(" = ").append(value));
        return text.toString();
    }
}

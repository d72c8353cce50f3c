package io.tidelog.client.consumer;

import io.tidelog.client.common.ConfigValues;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validated consumer settings with Kafka's key names and Kafka 4's defaults. Unknown keys,
 * malformed values and contradictions are a {@link ConfigException} naming the key. Settings
 * Kafka has but this consumer cannot honour (read_committed, cooperative assignors, the new
 * group protocol, TLS/SASL) are refused rather than silently ignored.
 */
public final class ConsumerConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String GROUP_ID = "group.id";
    public static final String GROUP_INSTANCE_ID = "group.instance.id";
    public static final String GROUP_PROTOCOL = "group.protocol";
    public static final String CLIENT_ID = "client.id";
    public static final String CLIENT_RACK = "client.rack";
    public static final String KEY_DESERIALIZER = "key.deserializer";
    public static final String VALUE_DESERIALIZER = "value.deserializer";
    public static final String AUTO_OFFSET_RESET = "auto.offset.reset";
    public static final String ENABLE_AUTO_COMMIT = "enable.auto.commit";
    public static final String AUTO_COMMIT_INTERVAL_MS = "auto.commit.interval.ms";
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
    public static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    public static final String FETCH_MIN_BYTES = "fetch.min.bytes";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";
    public static final String MAX_PARTITION_FETCH_BYTES = "max.partition.fetch.bytes";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";
    public static final String PARTITION_ASSIGNMENT_STRATEGY = "partition.assignment.strategy";
    public static final String CHECK_CRCS = "check.crcs";
    public static final String ISOLATION_LEVEL = "isolation.level";
    public static final String RECONNECT_BACKOFF_MS = "reconnect.backoff.ms";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String ALLOW_AUTO_CREATE_TOPICS = "allow.auto.create.topics";
    public static final String SECURITY_PROTOCOL = "security.protocol";

    static final Set<String> KNOWN_KEYS = Set.of(BOOTSTRAP_SERVERS, GROUP_ID, GROUP_INSTANCE_ID, GROUP_PROTOCOL,
            CLIENT_ID, CLIENT_RACK, KEY_DESERIALIZER, VALUE_DESERIALIZER, AUTO_OFFSET_RESET, ENABLE_AUTO_COMMIT,
            AUTO_COMMIT_INTERVAL_MS, MAX_POLL_RECORDS, MAX_POLL_INTERVAL_MS, SESSION_TIMEOUT_MS,
            HEARTBEAT_INTERVAL_MS, FETCH_MIN_BYTES, FETCH_MAX_BYTES, FETCH_MAX_WAIT_MS, MAX_PARTITION_FETCH_BYTES,
            REQUEST_TIMEOUT_MS, DEFAULT_API_TIMEOUT_MS, PARTITION_ASSIGNMENT_STRATEGY, CHECK_CRCS, ISOLATION_LEVEL,
            RECONNECT_BACKOFF_MS, RETRY_BACKOFF_MS, METADATA_MAX_AGE_MS, ALLOW_AUTO_CREATE_TOPICS,
            SECURITY_PROTOCOL);

    /** What to do when a partition has no committed offset or its position is out of range. */
    public enum OffsetResetStrategy { EARLIEST, LATEST, NONE }

    private final List<InetSocketAddress> bootstrapServers;
    private final String groupId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientRack;
    private final String keyDeserializerClass;
    private final String valueDeserializerClass;
    private final OffsetResetStrategy autoOffsetReset;
    private final boolean autoCommit;
    private final long autoCommitIntervalMs;
    private final int maxPollRecords;
    private final int maxPollIntervalMs;
    private final int sessionTimeoutMs;
    private final int heartbeatIntervalMs;
    private final int fetchMinBytes;
    private final int fetchMaxBytes;
    private final int fetchMaxWaitMs;
    private final int maxPartitionFetchBytes;
    private final int requestTimeoutMs;
    private final long defaultApiTimeoutMs;
    private final List<String> assignors;
    private final boolean checkCrcs;
    private final long reconnectBackoffMs;
    private final long retryBackoffMs;
    private final long metadataMaxAgeMs;
    private final boolean allowAutoCreateTopics;

    private ConsumerConfig(Map<String, String> raw) {
        for (String key : raw.keySet()) {
            if (!KNOWN_KEYS.contains(key)) {
                throw new ConfigException(key, raw.get(key), "unknown consumer setting (known: "
                        + new TreeSet<>(KNOWN_KEYS) + ")");
            }
        }
        ConfigValues values = new ConfigValues(raw, ConfigException::new);
        bootstrapServers = values.addresses(BOOTSTRAP_SERVERS);
        groupId = emptyToNull(raw.get(GROUP_ID));
        groupInstanceId = emptyToNull(raw.get(GROUP_INSTANCE_ID));
        if (groupInstanceId != null && groupId == null) {
            throw new ConfigException(GROUP_INSTANCE_ID, groupInstanceId, "static membership needs group.id too");
        }
        String protocol = raw.getOrDefault(GROUP_PROTOCOL, "classic");
        if (!protocol.equalsIgnoreCase("classic")) {
            throw new ConfigException(GROUP_PROTOCOL, protocol, "only the classic group protocol is supported; "
                    + "remove the setting or set it to classic");
        }
        String security = raw.getOrDefault(SECURITY_PROTOCOL, "PLAINTEXT");
        if (!security.equalsIgnoreCase("PLAINTEXT")) {
            throw new ConfigException(SECURITY_PROTOCOL, security, "only PLAINTEXT connections are supported");
        }
        clientId = raw.getOrDefault(CLIENT_ID, "tidelog-consumer");
        clientRack = raw.getOrDefault(CLIENT_RACK, "");
        keyDeserializerClass = raw.get(KEY_DESERIALIZER);
        valueDeserializerClass = raw.get(VALUE_DESERIALIZER);
        autoOffsetReset = parseReset(raw.getOrDefault(AUTO_OFFSET_RESET, "latest"));
        autoCommit = resolveAutoCommit(raw, values, groupId);
        autoCommitIntervalMs = values.longValue(AUTO_COMMIT_INTERVAL_MS, 5000, 0, Integer.MAX_VALUE);
        maxPollRecords = (int) values.longValue(MAX_POLL_RECORDS, 500, 1, Integer.MAX_VALUE);
        maxPollIntervalMs = (int) values.longValue(MAX_POLL_INTERVAL_MS, 300_000, 1, Integer.MAX_VALUE);
        sessionTimeoutMs = (int) values.longValue(SESSION_TIMEOUT_MS, 45_000, 1, Integer.MAX_VALUE);
        heartbeatIntervalMs = (int) values.longValue(HEARTBEAT_INTERVAL_MS, 3000, 1, Integer.MAX_VALUE);
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new ConfigException(HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs, "must be lower than "
                    + SESSION_TIMEOUT_MS + "=" + sessionTimeoutMs + " (a third of it is usual)");
        }
        fetchMinBytes = (int) values.longValue(FETCH_MIN_BYTES, 1, 0, Integer.MAX_VALUE);
        fetchMaxBytes = (int) values.longValue(FETCH_MAX_BYTES, 52_428_800, 0, Integer.MAX_VALUE);
        fetchMaxWaitMs = (int) values.longValue(FETCH_MAX_WAIT_MS, 500, 0, Integer.MAX_VALUE);
        maxPartitionFetchBytes = (int) values.longValue(MAX_PARTITION_FETCH_BYTES, 1_048_576, 0, Integer.MAX_VALUE);
        requestTimeoutMs = (int) values.longValue(REQUEST_TIMEOUT_MS, 30_000, 1, Integer.MAX_VALUE);
        defaultApiTimeoutMs = values.longValue(DEFAULT_API_TIMEOUT_MS, 60_000, 0, Integer.MAX_VALUE);
        if (fetchMaxWaitMs >= requestTimeoutMs) {
            throw new ConfigException(FETCH_MAX_WAIT_MS, fetchMaxWaitMs, "must be lower than "
                    + REQUEST_TIMEOUT_MS + "=" + requestTimeoutMs + ", or every long poll would time out");
        }
        assignors = parseAssignors(raw.getOrDefault(PARTITION_ASSIGNMENT_STRATEGY, Assignors.RANGE));
        checkCrcs = values.booleanValue(CHECK_CRCS, true);
        String isolation = raw.getOrDefault(ISOLATION_LEVEL, "read_uncommitted");
        if (isolation.equalsIgnoreCase("read_committed")) {
            throw new ConfigException(ISOLATION_LEVEL, isolation, "read_committed is not supported by this "
                    + "consumer (it does not filter aborted transactions); use read_uncommitted, which is "
                    + "equivalent when no producer uses transactions");
        }
        if (!isolation.equalsIgnoreCase("read_uncommitted")) {
            throw new ConfigException(ISOLATION_LEVEL, isolation, "must be read_uncommitted");
        }
        reconnectBackoffMs = values.longValue(RECONNECT_BACKOFF_MS, 50, 0, Long.MAX_VALUE);
        retryBackoffMs = values.longValue(RETRY_BACKOFF_MS, 100, 0, Long.MAX_VALUE);
        metadataMaxAgeMs = values.longValue(METADATA_MAX_AGE_MS, 300_000, 0, Long.MAX_VALUE);
        allowAutoCreateTopics = values.booleanValue(ALLOW_AUTO_CREATE_TOPICS, true);
    }

    /** Settings from a map whose values are strings, numbers, booleans, classes or lists (as Kafka accepts). */
    public static ConsumerConfig from(Map<String, ?> settings) {
        Map<String, String> raw = new HashMap<>();
        settings.forEach((key, value) -> {
            if (value == null) {
                throw new ConfigException(key, null, "a value is required");
            }
            if (value instanceof Class<?> type) {
                raw.put(key, type.getName());
            } else if (value instanceof List<?> list) {
                raw.put(key, String.join(",", list.stream().map(v -> v instanceof Class<?> c ? c.getName()
                        : String.valueOf(v)).toList()));
            } else {
                raw.put(key, value.toString().trim());
            }
        });
        return new ConsumerConfig(raw);
    }

    public static ConsumerConfig from(Properties properties) {
        Map<String, Object> map = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return from(map);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static boolean resolveAutoCommit(Map<String, String> raw, ConfigValues values, String groupId) {
        String explicit = raw.get(ENABLE_AUTO_COMMIT);
        boolean wanted = values.booleanValue(ENABLE_AUTO_COMMIT, true);
        if (groupId == null) {
            if (explicit != null && wanted) {
                throw new ConfigException(ENABLE_AUTO_COMMIT, explicit, "auto-commit needs a group.id to commit "
                        + "to; set group.id or enable.auto.commit=false");
            }
            return false;
        }
        return wanted;
    }

    private static OffsetResetStrategy parseReset(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "earliest": return OffsetResetStrategy.EARLIEST;
            case "latest": return OffsetResetStrategy.LATEST;
            case "none": return OffsetResetStrategy.NONE;
            default:
                throw new ConfigException(AUTO_OFFSET_RESET, value, "must be one of earliest, latest, none");
        }
    }

    private static List<String> parseAssignors(String value) {
        List<String> names = new ArrayList<>();
        for (String entry : value.split(",")) {
            String name = entry.trim();
            if (name.isEmpty()) {
                continue;
            }
            String protocolName = Assignors.protocolName(name);
            if (protocolName == null) {
                throw new ConfigException(PARTITION_ASSIGNMENT_STRATEGY, value, "'" + name + "' is not supported: "
                        + "use range or roundrobin (or Kafka's RangeAssignor / RoundRobinAssignor class names); "
                        + "sticky and cooperative-sticky assignment are not implemented by this consumer");
            }
            if (!names.contains(protocolName)) {
                names.add(protocolName);
            }
        }
        if (names.isEmpty()) {
            throw new ConfigException(PARTITION_ASSIGNMENT_STRATEGY, value, "name at least one of range, roundrobin");
        }
        return List.copyOf(names);
    }

    public List<InetSocketAddress> bootstrapServers() {
        return bootstrapServers;
    }

    /** The group to join or commit to; null when the consumer has none (assign only, no commits). */
    public String groupId() {
        return groupId;
    }

    /** Static membership id, or null. */
    public String groupInstanceId() {
        return groupInstanceId;
    }

    public String clientId() {
        return clientId;
    }

    public String clientRack() {
        return clientRack;
    }

    public OffsetResetStrategy autoOffsetReset() {
        return autoOffsetReset;
    }

    public boolean autoCommit() {
        return autoCommit;
    }

    public long autoCommitIntervalMs() {
        return autoCommitIntervalMs;
    }

    public int maxPollRecords() {
        return maxPollRecords;
    }

    public int maxPollIntervalMs() {
        return maxPollIntervalMs;
    }

    public int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    public int heartbeatIntervalMs() {
        return heartbeatIntervalMs;
    }

    public int fetchMinBytes() {
        return fetchMinBytes;
    }

    public int fetchMaxBytes() {
        return fetchMaxBytes;
    }

    public int fetchMaxWaitMs() {
        return fetchMaxWaitMs;
    }

    public int maxPartitionFetchBytes() {
        return maxPartitionFetchBytes;
    }

    public int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public long defaultApiTimeoutMs() {
        return defaultApiTimeoutMs;
    }

    /** Assignor protocol names in preference order ("range", "roundrobin"). */
    public List<String> assignors() {
        return assignors;
    }

    public boolean checkCrcs() {
        return checkCrcs;
    }

    public long reconnectBackoffMs() {
        return reconnectBackoffMs;
    }

    public long retryBackoffMs() {
        return retryBackoffMs;
    }

    public long metadataMaxAgeMs() {
        return metadataMaxAgeMs;
    }

    public boolean allowAutoCreateTopics() {
        return allowAutoCreateTopics;
    }

    String keyDeserializerClass() {
        return keyDeserializerClass;
    }

    String valueDeserializerClass() {
        return valueDeserializerClass;
    }
}

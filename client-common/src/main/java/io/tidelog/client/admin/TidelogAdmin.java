package io.tidelog.client.admin;

import io.tidelog.client.common.Clock;
import io.tidelog.client.common.ConfigValues;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.Errors;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * Administers a Kafka-protocol cluster: topics, their configuration and offsets, consumer groups.
 *
 * <pre>{@code
 * try (TidelogAdmin admin = new TidelogAdmin("127.0.0.1:9092")) {
 *     admin.createTopic(new NewTopic("orders", 3, (short) 1, Map.of("retention.ms", "3600000")));
 *     TopicDescription orders = admin.describeTopics(List.of("orders")).get("orders");
 * }
 * }</pre>
 *
 * <p>Every method blocks until the broker answered or {@code default.api.timeout.ms} passed.
 * Failures are {@link AdminException}s whose message says what went wrong and what to do:
 * {@link BrokerUnreachableException} (nothing reachable at the bootstrap addresses),
 * {@link AdminTimeoutException}, {@link UnknownTopicException}, {@link TopicExistsException},
 * {@link GroupNotFoundException}, {@link GroupNotEmptyException}, {@link UnsupportedApiException}.
 * Retriable broker errors (a coordinator still loading, a leader being elected) are retried
 * within the timeout.
 *
 * <p>Thread-safe: calls are serialised; one call at a time is in flight.
 */
public final class TidelogAdmin implements AutoCloseable {

    /** {@link #listOffsets} timestamp for the log start offset. */
    public static final long EARLIEST = TopicOperations.EARLIEST;
    /** {@link #listOffsets} timestamp for the high-water mark (the next offset a consumer may read). */
    public static final long LATEST = TopicOperations.LATEST;

    private static final Set<String> KEYS = Set.of("bootstrap.servers", "client.id", "default.api.timeout.ms",
            "request.timeout.ms", "retry.backoff.ms", "reconnect.backoff.ms");

    private final AdminChannel channel;
    private final TopicOperations topics;
    private final ConfigOperations configs;
    private final GroupOperations groups;
    private final long apiTimeoutMs;
    private final long retryBackoffMs;

    /** An admin for the brokers at {@code bootstrapServers} ("host:port,host:port"), 60 s per call. */
    public TidelogAdmin(String bootstrapServers) {
        this(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** As {@link #TidelogAdmin(String)} with each call bounded by {@code timeout}. */
    public TidelogAdmin(String bootstrapServers, Duration timeout) {
        this(Map.of("bootstrap.servers", bootstrapServers, "default.api.timeout.ms",
                Long.toString(timeout.toMillis())));
    }

    /**
     * Settings, Kafka's names: {@code bootstrap.servers} (required), {@code client.id}
     * (tidelog-admin), {@code default.api.timeout.ms} (60000: bound of one call, retries included),
     * {@code request.timeout.ms} (30000: bound of one request), {@code retry.backoff.ms} (100),
     * {@code reconnect.backoff.ms} (100).
     *
     * @throws IllegalArgumentException for an unknown key or a bad value, naming it
     */
    public TidelogAdmin(Map<String, ?> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown admin setting '" + key + "' (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        Object servers = settings.get("bootstrap.servers");
        List<InetSocketAddress> bootstrap = new ConfigValues(
                servers == null ? Map.of() : Map.of("bootstrap.servers", servers.toString()),
                (key, value, reason) -> new IllegalArgumentException(key + " " + reason))
                .addresses("bootstrap.servers");
        Object clientIdSetting = settings.get("client.id");
        String clientId = clientIdSetting == null ? "tidelog-admin" : clientIdSetting.toString();
        this.apiTimeoutMs = positive(settings, "default.api.timeout.ms", 60_000);
        this.retryBackoffMs = positive(settings, "retry.backoff.ms", 100);
        long requestTimeoutMs = Math.min(positive(settings, "request.timeout.ms", 30_000), Integer.MAX_VALUE);
        long reconnectBackoffMs = positive(settings, "reconnect.backoff.ms", 100);
        this.channel = new AdminChannel(clientId, bootstrap, (int) requestTimeoutMs, reconnectBackoffMs, Clock.SYSTEM);
        this.topics = new TopicOperations(channel);
        this.configs = new ConfigOperations(channel);
        this.groups = new GroupOperations(channel, topics);
    }

    // ---- topics ----

    /** Creates one topic. @throws TopicExistsException if it exists */
    public void createTopic(NewTopic topic) {
        createTopics(List.of(topic));
    }

    /** Creates topics in one request; throws for the first that failed, naming every failure. */
    public synchronized void createTopics(Collection<NewTopic> newTopics) {
        retrying(deadline -> {
            topics.create(newTopics, deadline);
            return null;
        });
    }

    /** Deletes topics with all their data. @throws UnknownTopicException if one does not exist */
    public synchronized void deleteTopics(Collection<String> names) {
        retrying(deadline -> {
            topics.delete(names, deadline);
            return null;
        });
    }

    /**
     * Grows a topic to {@code totalCount} partitions (existing partitions keep their data; keys
     * may map to other partitions afterwards). Partition counts never shrink.
     */
    public synchronized void increasePartitions(String topic, int totalCount) {
        retrying(deadline -> {
            topics.increasePartitions(topic, totalCount, deadline);
            return null;
        });
    }

    /** Topic names in order; internal topics ({@code __consumer_offsets}) only if asked for. */
    public synchronized SortedSet<String> listTopics(boolean includeInternal) {
        return retrying(deadline -> topics.list(includeInternal, deadline));
    }

    /**
     * Each topic's partitions with leader, replicas, ISR, log start offset and high-water mark,
     * in the order asked. @throws UnknownTopicException for a topic that does not exist
     */
    public synchronized Map<String, TopicDescription> describeTopics(Collection<String> names) {
        return retrying(deadline -> topics.describe(names, deadline));
    }

    /**
     * For each partition, the offset of {@code timestamp}: {@link #EARLIEST} (log start offset),
     * {@link #LATEST} (high-water mark), or a time in epoch ms (the first record at or after it;
     * -1 when every record is older).
     */
    public synchronized Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, long timestamp) {
        return retrying(deadline -> topics.listOffsets(partitions, timestamp, deadline));
    }

    // ---- configuration ----

    /** Every configuration entry of a topic or broker, by name, with where its value comes from. */
    public synchronized List<ConfigEntry> describeConfigs(ConfigResource resource) {
        return retrying(deadline -> configs.describe(resource, deadline));
    }

    /** Applies {@code ops} to a topic's (or broker's) configuration, all or nothing (IncrementalAlterConfigs). */
    public synchronized void incrementalAlterConfigs(ConfigResource resource, List<AlterConfigOp> ops) {
        retrying(deadline -> {
            configs.alter(resource, new ArrayList<>(ops), deadline);
            return null;
        });
    }

    // ---- consumer groups ----

    /** Every group of every broker, by group id. */
    public synchronized List<GroupListing> listGroups() {
        return retrying(groups::list);
    }

    /** Members and their assigned partitions. @throws GroupNotFoundException if the group does not exist */
    public synchronized GroupDescription describeGroup(String groupId) {
        return retrying(deadline -> groups.describe(groupId, deadline));
    }

    /** The group's committed offsets (partitions without a commit are left out), by topic and partition. */
    public synchronized Map<TopicPartition, Long> listGroupOffsets(String groupId) {
        return retrying(deadline -> groups.committedOffsets(groupId, deadline));
    }

    /**
     * Sets the group's committed offsets. Only for a group without members (or no group yet): a
     * running consumer would overwrite them. @throws GroupNotEmptyException while it has members
     */
    public synchronized void resetGroupOffsets(String groupId, Map<TopicPartition, Long> offsets) {
        retrying(deadline -> {
            groups.resetOffsets(groupId, offsets, deadline);
            return null;
        });
    }

    /** Deletes empty groups and their committed offsets. @throws GroupNotEmptyException if one has members */
    public synchronized void deleteGroups(Collection<String> groupIds) {
        for (String groupId : groupIds) {
            retrying(deadline -> {
                groups.delete(groupId, deadline);
                return null;
            });
        }
    }

    @Override
    public synchronized void close() {
        channel.close();
    }

    /** One operation against a deadline. */
    private interface Operation<T> {
        T run(long deadlineMs);
    }

    /** Runs {@code operation}, retrying retriable broker errors until the call's deadline. */
    private <T> T retrying(Operation<T> operation) {
        long deadline = channel.now() + apiTimeoutMs;
        while (true) {
            try {
                return operation.run(deadline);
            } catch (AdminException e) {
                if (!retriable(e) || channel.now() + retryBackoffMs >= deadline) {
                    throw e;
                }
                channel.pause(retryBackoffMs);
            }
        }
    }

    /**
     * Worth another try: a retriable broker error (coordinator loading or moving, leader being
     * elected). Not a missing topic or partition, which Kafka calls retriable because metadata
     * may lag, but which an operator's command should report at once.
     */
    private static boolean retriable(AdminException e) {
        return e.retriable() && e.error() != Errors.UNKNOWN_TOPIC_OR_PARTITION
                && !(e instanceof AdminTimeoutException) && !(e instanceof BrokerUnreachableException);
    }

    private static long positive(Map<String, ?> settings, String key, long defaultValue) {
        Object value = settings.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.toString().trim());
            if (parsed <= 0) {
                throw new IllegalArgumentException("'" + key + "' must be positive, was " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be a number of milliseconds, was '" + value + "'");
        }
    }
}

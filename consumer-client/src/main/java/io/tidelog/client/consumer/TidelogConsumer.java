package io.tidelog.client.consumer;

import io.tidelog.client.common.Clock;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.client.consumer.ConsumerConfig.OffsetResetStrategy;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ListOffsetsResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tidelog consumer.
 *
 * <p>Threads: the application's thread calls every method (one at a time: a second thread gets
 * {@link ConcurrentModificationException}); it decodes batches, deserializes, runs group joins,
 * commits and listener callbacks. One background {@link NetworkThread} owns every socket and
 * does what must go on while the application processes records: fetching ahead (one Fetch in
 * flight per leader), position resets and validations, heartbeats, and leaving the group when
 * poll is not called within max.poll.interval.ms. The two share {@link SubscriptionState} (one
 * monitor, also what a blocked poll waits on) and {@link GroupState}.
 */
public final class TidelogConsumer<K, V> implements Consumer<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(TidelogConsumer.class);
    private static final long NO_THREAD = -1L;

    private final ConsumerConfig config;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final Clock clock;
    private final SubscriptionState subscriptions;
    private final ConsumerMetadata metadata;
    private final GroupState group = new GroupState();
    private final NetworkThread io;
    private final Thread ioThread;
    private final ConsumerCoordinator coordinator;
    private final OffsetCommits commits;
    private final AtomicLong owner = new AtomicLong(NO_THREAD);
    private final AtomicInteger ownerDepth = new AtomicInteger();
    private int drainStart;
    private volatile boolean closed;
    /** close() is running: commits and listener callbacks still work, other calls are refused. */
    private boolean closing;

    /** Deserializers from {@code key.deserializer}/{@code value.deserializer}. */
    public TidelogConsumer(Map<String, ?> settings) {
        this(ConsumerConfig.from(settings), null, null, Clock.SYSTEM);
    }

    public TidelogConsumer(Map<String, ?> settings, Deserializer<K> keyDeserializer,
                           Deserializer<V> valueDeserializer) {
        this(ConsumerConfig.from(settings), keyDeserializer, valueDeserializer, Clock.SYSTEM);
    }

    public TidelogConsumer(Properties settings) {
        this(ConsumerConfig.from(settings), null, null, Clock.SYSTEM);
    }

    public TidelogConsumer(Properties settings, Deserializer<K> keyDeserializer,
                           Deserializer<V> valueDeserializer) {
        this(ConsumerConfig.from(settings), keyDeserializer, valueDeserializer, Clock.SYSTEM);
    }

    @SuppressWarnings("unchecked")
    TidelogConsumer(ConsumerConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
                    Clock clock) {
        this.config = config;
        this.keyDeserializer = keyDeserializer != null ? keyDeserializer
                : (Deserializer<K>) fromConfig(ConsumerConfig.KEY_DESERIALIZER, config.keyDeserializerClass());
        this.valueDeserializer = valueDeserializer != null ? valueDeserializer
                : (Deserializer<V>) fromConfig(ConsumerConfig.VALUE_DESERIALIZER, config.valueDeserializerClass());
        this.clock = clock;
        this.subscriptions = new SubscriptionState(clock, config.autoOffsetReset());
        this.metadata = new ConsumerMetadata(subscriptions::signal);
        try {
            this.io = new NetworkThread(config, metadata, clock, subscriptions::signal);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the consumer's selector", e);
        }
        OffsetLookups lookups = new OffsetLookups(config, subscriptions, metadata, io);
        io.addDuty(new Fetcher(config, subscriptions, metadata, io, lookups));
        io.addDuty(lookups);
        this.coordinator = new ConsumerCoordinator(config, subscriptions, metadata, io, group);
        this.commits = new OffsetCommits(config, subscriptions, io, group, coordinator);
        coordinator.commits(commits);
        if (config.groupId() != null) {
            io.addDuty(new Heartbeat(config, group, io, subscriptions::signal));
        }
        group.polled(clock.milliseconds());
        this.ioThread = new Thread(io, "tidelog-consumer-network-" + config.clientId());
        ioThread.setDaemon(true);
        ioThread.start();
    }

    private static Deserializer<?> fromConfig(String key, String className) {
        if (className == null) {
            throw new ConfigException(key, null, "required unless a Deserializer is passed to the constructor");
        }
        return Deserializers.forClassName(key, className);
    }

    public ConsumerConfig config() {
        return config;
    }

    // ---- single-thread guard ----

    private void acquire() {
        long me = Thread.currentThread().getId();
        if (owner.get() != me && !owner.compareAndSet(NO_THREAD, me)) {
            throw new ConcurrentModificationException("TidelogConsumer is not safe for use by several threads at "
                    + "once (only wakeup() is); use one consumer per thread");
        }
        ownerDepth.incrementAndGet();
    }

    private void release() {
        if (ownerDepth.decrementAndGet() == 0) {
            owner.set(NO_THREAD);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the consumer is closed");
        }
        if (!io.isRunning()) {
            throw new ConsumerException("the consumer's network thread stopped (" + io.fatal()
                    + "); close this consumer and create a new one");
        }
    }

    private long deadline(Duration timeout) {
        long ms = timeout.toMillis();
        long now = clock.milliseconds();
        return ms >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms;
    }

    private Duration defaultTimeout() {
        return Duration.ofMillis(config.defaultApiTimeoutMs());
    }

    // ---- what is read ----

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        acquire();
        try {
            ensureOpen();
            for (TopicPartition tp : partitions) {
                if (tp == null || tp.topic() == null || tp.topic().isBlank() || tp.partition() < 0) {
                    throw new IllegalArgumentException("invalid partition to assign: " + tp);
                }
            }
            if (config.autoCommit() && subscriptions.mode() == SubscriptionState.Mode.MANUAL) {
                commits.commitAsync(subscriptions.allConsumed(), null);
            }
            subscriptions.assignFromUser(partitions);
            Set<String> topics = new HashSet<>();
            partitions.forEach(tp -> topics.add(tp.topic()));
            metadata.addTopics(topics);
            io.wakeup();
        } finally {
            release();
        }
    }

    @Override
    public Set<TopicPartition> assignment() {
        acquire();
        try {
            return subscriptions.assignment();
        } finally {
            release();
        }
    }

    @Override
    public void subscribe(Collection<String> topics) {
        subscribe(topics, null);
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        acquire();
        try {
            ensureOpen();
            if (config.groupId() == null) {
                throw new ConfigException(ConsumerConfig.GROUP_ID, null, "subscribe() needs a consumer group: set "
                        + "group.id, or use assign() to read chosen partitions without a group");
            }
            for (String topic : topics) {
                if (topic == null || topic.isBlank()) {
                    throw new IllegalArgumentException("topic names must not be null or blank: " + topics);
                }
            }
            if (topics.isEmpty()) {
                unsubscribe();
                return;
            }
            Set<String> before = subscriptions.subscription();
            subscriptions.subscribe(Set.copyOf(topics), listener);
            metadata.addTopics(topics);
            if (!before.equals(Set.copyOf(topics))) {
                coordinator.onSubscriptionChange();
            }
            io.wakeup();
        } finally {
            release();
        }
    }

    @Override
    public Set<String> subscription() {
        acquire();
        try {
            return subscriptions.subscription();
        } finally {
            release();
        }
    }

    @Override
    public void unsubscribe() {
        acquire();
        try {
            ensureOpen();
            if (subscriptions.mode() == SubscriptionState.Mode.SUBSCRIBED) {
                coordinator.leave("the consumer unsubscribed", clock.milliseconds() + config.defaultApiTimeoutMs());
            }
            subscriptions.unsubscribe();
        } finally {
            release();
        }
    }

    // ---- poll ----

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        acquire();
        try {
            ensureOpen();
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("poll timeout must not be negative: " + timeout);
            }
            if (subscriptions.mode() == SubscriptionState.Mode.NONE) {
                throw new IllegalStateException("the consumer is neither subscribed to topics nor assigned "
                        + "partitions: call subscribe() or assign() first");
            }
            long deadlineMs = deadline(timeout);
            group.polled(clock.milliseconds());
            do {
                subscriptions.maybeThrowWakeup();
                commits.invokeCompletedCallbacks();
                if (subscriptions.mode() == SubscriptionState.Mode.SUBSCRIBED) {
                    coordinator.ensureActiveGroup(deadlineMs);
                }
                if (config.groupId() != null) {
                    commits.maybeAutoCommit(clock.milliseconds());
                    commits.sendAsyncCommits();
                }
                updateFetchPositions(deadlineMs);
                subscriptions.throwPendingError();
                checkAssignedTopicsExist();
                checkBrokersReachable();
                ConsumerRecords<K, V> records = drain();
                if (!records.isEmpty()) {
                    io.wakeup();
                    return records;
                }
                long waitUntil = Math.min(deadlineMs, clock.milliseconds() + config.retryBackoffMs());
                subscriptions.await(this::somethingToDo, waitUntil);
            } while (clock.milliseconds() < deadlineMs);
            return ConsumerRecords.empty();
        } finally {
            release();
        }
    }

    /** True when a poll loop turn can make progress (called holding the subscriptions monitor). */
    private boolean somethingToDo() {
        for (SubscriptionState.PartitionState state : subscriptions.states()) {
            if ((state.completed != null && !state.paused) || state.error != null
                    || state.state == SubscriptionState.FetchState.INITIALIZING) {
                return true;
            }
        }
        return subscriptions.mode() == SubscriptionState.Mode.SUBSCRIBED
                && (group.rejoinNeeded() || group.state() != GroupState.MemberState.STABLE);
    }

    /** Positions for partitions that have none: the committed offset, else the reset policy. */
    private boolean updateFetchPositions(long deadlineMs) {
        List<TopicPartition> initializing = subscriptions.partitionsIn(SubscriptionState.FetchState.INITIALIZING);
        if (initializing.isEmpty()) {
            return true;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
        if (config.groupId() != null) {
            committed = commits.fetchCommitted(Set.copyOf(initializing), deadlineMs);
            if (committed == null) {
                return false;
            }
        }
        synchronized (subscriptions) {
            List<TopicPartition> noOffset = new ArrayList<>();
            for (TopicPartition tp : initializing) {
                SubscriptionState.PartitionState state = subscriptions.state(tp);
                if (state == null || state.state != SubscriptionState.FetchState.INITIALIZING) {
                    continue;
                }
                OffsetAndMetadata offset = committed.get(tp);
                if (offset != null) {
                    state.position = offset.offset();
                    state.offsetEpoch = offset.leaderEpoch();
                    state.leaderEpoch = -1;
                    state.state = offset.leaderEpoch() >= 0 ? SubscriptionState.FetchState.AWAIT_VALIDATION
                            : SubscriptionState.FetchState.FETCHING;
                } else if (config.autoOffsetReset() == OffsetResetStrategy.NONE) {
                    noOffset.add(tp);
                } else {
                    state.state = SubscriptionState.FetchState.AWAIT_RESET;
                    state.resetStrategy = config.autoOffsetReset();
                }
            }
            if (!noOffset.isEmpty()) {
                NoOffsetForPartitionException error = new NoOffsetForPartitionException(Set.copyOf(noOffset));
                for (TopicPartition tp : noOffset) {
                    subscriptions.state(tp).error = error;
                }
            }
        }
        io.wakeup();
        return true;
    }

    private void checkAssignedTopicsExist() {
        if (subscriptions.mode() != SubscriptionState.Mode.MANUAL) {
            return;
        }
        for (TopicPartition tp : subscriptions.assignment()) {
            ConsumerMetadata.TopicInfo info = metadata.topic(tp.topic());
            if (info == null) {
                continue;
            }
            if (info.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION || info.error() == Errors.INVALID_TOPIC_EXCEPTION) {
                throw new UnknownTopicException(Set.of(tp.topic()), "topic '" + tp.topic() + "' does not exist on "
                        + "the cluster: create it first (or enable auto.create.topics.enable on the broker)");
            }
            if (info.error() == Errors.TOPIC_AUTHORIZATION_FAILED) {
                throw new ConsumerException("not authorized to read topic '" + tp.topic() + "'");
            }
            if (info.error() == Errors.NONE && tp.partition() >= info.partitions().size()) {
                throw new UnknownTopicException(Set.of(tp.topic()), "partition " + tp.partition() + " of topic '"
                        + tp.topic() + "' does not exist: the topic has " + info.partitions().size() + " partitions");
            }
        }
    }

    private void checkBrokersReachable() {
        long failingFor = metadata.failingForMs(clock.milliseconds());
        if (failingFor > config.defaultApiTimeoutMs()) {
            throw unreachable(failingFor);
        }
    }

    private BrokerUnreachableException unreachable(long failingForMs) {
        IOException last = io.lastConnectError();
        return new BrokerUnreachableException("no broker could be reached for " + failingForMs + " ms (more than "
                + "default.api.timeout.ms=" + config.defaultApiTimeoutMs() + "): bootstrap.servers="
                + io.describeBootstrap() + (last == null ? "" : ", last error: " + last.getMessage())
                + "; check the addresses and that the brokers are running");
    }

    private ConsumerRecords<K, V> drain() {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> byPartition = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        int remaining = config.maxPollRecords();
        synchronized (subscriptions) {
            List<SubscriptionState.PartitionState> states = new ArrayList<>(subscriptions.states());
            int n = states.size();
            for (int i = 0; i < n && remaining > 0; i++) {
                SubscriptionState.PartitionState state = states.get((drainStart + i) % n);
                if (state.completed == null || state.paused || state.state != SubscriptionState.FetchState.FETCHING) {
                    continue;
                }
                List<ConsumerRecord<K, V>> out = new ArrayList<>();
                try {
                    remaining -= state.completed.drain(state, remaining, config.checkCrcs(), keyDeserializer,
                            valueDeserializer, out);
                } catch (ConsumerException e) {
                    if (byPartition.isEmpty() && out.isEmpty()) {
                        throw e;
                    }
                    remaining = 0;
                }
                if (state.completed.isExhausted()) {
                    state.completed = null;
                }
                if (!out.isEmpty()) {
                    byPartition.put(state.tp, out);
                    next.put(state.tp, new OffsetAndMetadata(state.position, state.offsetEpoch, ""));
                }
            }
            drainStart = n == 0 ? 0 : (drainStart + 1) % n;
        }
        return byPartition.isEmpty() ? ConsumerRecords.empty() : new ConsumerRecords<>(byPartition, next);
    }

    // ---- positions ----

    @Override
    public void seek(TopicPartition partition, long offset) {
        acquire();
        try {
            ensureOpen();
            if (offset < 0) {
                throw new IllegalArgumentException("seek offset must not be negative: " + offset);
            }
            subscriptions.seek(partition, offset, -1);
            io.wakeup();
        } finally {
            release();
        }
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        seekTo(partitions, OffsetResetStrategy.EARLIEST);
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        seekTo(partitions, OffsetResetStrategy.LATEST);
    }

    private void seekTo(Collection<TopicPartition> partitions, OffsetResetStrategy strategy) {
        acquire();
        try {
            ensureOpen();
            subscriptions.requestReset(partitions.isEmpty() ? subscriptions.assignment() : partitions, strategy);
            io.wakeup();
        } finally {
            release();
        }
    }

    @Override
    public long position(TopicPartition partition) {
        return position(partition, defaultTimeout());
    }

    @Override
    public long position(TopicPartition partition, Duration timeout) {
        acquire();
        try {
            ensureOpen();
            long deadlineMs = deadline(timeout);
            subscriptions.position(partition);
            while (true) {
                updateFetchPositions(deadlineMs);
                subscriptions.throwPendingError();
                checkAssignedTopicsExist();
                long position = subscriptions.position(partition);
                if (position >= 0) {
                    return position;
                }
                if (!subscriptions.await(() -> subscriptions.state(partition) == null
                        || subscriptions.state(partition).hasPosition()
                        || subscriptions.state(partition).error != null, deadlineMs)) {
                    throw timeoutWaitingFor("the position of " + partition, timeout);
                }
            }
        } finally {
            release();
        }
    }

    private ConsumerTimeoutException timeoutWaitingFor(String what, Duration timeout) {
        long failingFor = metadata.failingForMs(clock.milliseconds());
        if (failingFor > 0 || metadata.lastSuccessMs() < 0) {
            return unreachable(failingFor);
        }
        return new ConsumerTimeoutException(what + " could not be determined within " + timeout.toMillis()
                + " ms: the partition's leader did not answer in time; check the topic exists and has a leader, "
                + "or pass a longer timeout");
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, defaultTimeout());
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        acquire();
        try {
            ensureOpen();
            Map<TopicPartition, OffsetAndMetadata> result = commits.fetchCommitted(partitions, deadline(timeout));
            if (result == null) {
                throw timeoutWaitingFor("the committed offsets of group " + config.groupId(), timeout);
            }
            return result;
        } finally {
            release();
        }
    }

    // ---- commits ----

    @Override
    public void commitSync() {
        commitSync(defaultTimeout());
    }

    @Override
    public void commitSync(Duration timeout) {
        acquire();
        try {
            ensureOpen();
            commits.commitSync(subscriptions.allConsumed(), deadline(timeout));
        } finally {
            release();
        }
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitSync(offsets, defaultTimeout());
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        acquire();
        try {
            ensureOpen();
            commits.commitSync(Map.copyOf(offsets), deadline(timeout));
        } finally {
            release();
        }
    }

    @Override
    public void commitAsync() {
        commitAsync(null);
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        acquire();
        try {
            ensureOpen();
            commits.commitAsync(subscriptions.allConsumed(), callback);
        } finally {
            release();
        }
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        acquire();
        try {
            ensureOpen();
            commits.commitAsync(offsets, callback);
        } finally {
            release();
        }
    }

    // ---- pause ----

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        acquire();
        try {
            subscriptions.pause(partitions);
        } finally {
            release();
        }
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        acquire();
        try {
            subscriptions.resume(partitions);
            io.wakeup();
        } finally {
            release();
        }
    }

    @Override
    public Set<TopicPartition> paused() {
        acquire();
        try {
            return subscriptions.paused();
        } finally {
            release();
        }
    }

    // ---- cluster lookups ----

    @Override
    public List<TopicPartition> partitionsFor(String topic) {
        return partitionsFor(topic, defaultTimeout());
    }

    @Override
    public List<TopicPartition> partitionsFor(String topic, Duration timeout) {
        acquire();
        try {
            ensureOpen();
            ConsumerMetadata.TopicInfo info = awaitTopics(Set.of(topic), deadline(timeout), timeout).get(topic);
            List<TopicPartition> out = new ArrayList<>();
            for (int p = 0; p < info.partitions().size(); p++) {
                out.add(new TopicPartition(topic, p));
            }
            return out;
        } finally {
            release();
        }
    }

    /** Fresh metadata for these topics; throws for missing topics or on timeout. */
    private Map<String, ConsumerMetadata.TopicInfo> awaitTopics(Set<String> topics, long deadlineMs,
                                                                Duration timeout) {
        metadata.addTopics(topics);
        long since = metadata.version();
        metadata.requestUpdate();
        io.wakeup();
        boolean fresh = subscriptions.await(() -> metadata.version() > since
                && topics.stream().allMatch(t -> metadata.topic(t) != null), deadlineMs);
        if (!fresh) {
            throw timeoutWaitingFor("metadata for " + topics, timeout);
        }
        Map<String, ConsumerMetadata.TopicInfo> out = new HashMap<>();
        Set<String> missing = new HashSet<>();
        for (String topic : topics) {
            ConsumerMetadata.TopicInfo info = metadata.topic(topic);
            if (info.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION || info.error() == Errors.INVALID_TOPIC_EXCEPTION) {
                missing.add(topic);
            } else if (info.error() != Errors.NONE) {
                throw new ConsumerException("metadata for topic '" + topic + "' failed: " + info.error());
            }
            out.put(topic, info);
        }
        if (!missing.isEmpty()) {
            throw new UnknownTopicException(missing, "topic(s) " + missing + " do not exist on the cluster: create "
                    + "them first (or enable auto.create.topics.enable on the broker)");
        }
        return out;
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return beginningOffsets(partitions, defaultTimeout());
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return listOffsets(partitions, OffsetLookups.EARLIEST_TIMESTAMP, timeout);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return endOffsets(partitions, defaultTimeout());
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return listOffsets(partitions, OffsetLookups.LATEST_TIMESTAMP, timeout);
    }

    private Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, long timestamp,
                                                  Duration timeout) {
        acquire();
        try {
            ensureOpen();
            long deadlineMs = deadline(timeout);
            Map<TopicPartition, Long> result = new HashMap<>();
            Set<TopicPartition> remaining = new HashSet<>(partitions);
            while (!remaining.isEmpty()) {
                Set<String> topics = new HashSet<>();
                remaining.forEach(tp -> topics.add(tp.topic()));
                awaitTopics(topics, deadlineMs, timeout);
                Map<Integer, Map<TopicPartition, Long>> byLeader = new HashMap<>();
                for (TopicPartition tp : remaining) {
                    ConsumerMetadata.PartitionInfo info = metadata.partition(tp);
                    if (info == null) {
                        throw new UnknownTopicException(Set.of(tp.topic()), "partition " + tp.partition()
                                + " of topic '" + tp.topic() + "' does not exist");
                    }
                    if (info.leader() >= 0 && metadata.broker(info.leader()) != null) {
                        byLeader.computeIfAbsent(info.leader(), n -> new HashMap<>()).put(tp, timestamp);
                    }
                }
                List<CompletableFuture<ApiMessage>> futures = new ArrayList<>();
                byLeader.forEach((leader, timestamps) -> {
                    InetSocketAddress address = metadata.broker(leader);
                    futures.add(io.submit(new NetworkThread.Target(leader, address), ApiKey.LIST_OFFSETS,
                            OffsetLookups.listOffsetsRequest(timestamps, metadata), deadlineMs, 0));
                });
                subscriptions.await(() -> futures.stream().allMatch(CompletableFuture::isDone), deadlineMs);
                for (CompletableFuture<ApiMessage> future : futures) {
                    collectOffsets(future, result, remaining);
                }
                if (!remaining.isEmpty()) {
                    if (clock.milliseconds() >= deadlineMs) {
                        throw timeoutWaitingFor("offsets of " + remaining, timeout);
                    }
                    metadata.requestUpdate();
                    coordinator.backOff(deadlineMs);
                }
            }
            return result;
        } finally {
            release();
        }
    }

    private static void collectOffsets(CompletableFuture<ApiMessage> future, Map<TopicPartition, Long> result,
                                       Set<TopicPartition> remaining) {
        if (!future.isDone()) {
            return;
        }
        ListOffsetsResponse response;
        try {
            response = (ListOffsetsResponse) future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof NetworkFailureException || e.getCause() instanceof ConsumerTimeoutException) {
                return;
            }
            throw e.getCause() instanceof ConsumerException ce ? ce : new ConsumerException(e.getMessage(), e);
        }
        for (ListOffsetsResponse.ListOffsetsTopicResponse topic : response.topics()) {
            for (ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                if (Errors.forCode(p.errorCode()) == Errors.NONE && p.offset() >= 0 && remaining.remove(tp)) {
                    result.put(tp, p.offset());
                }
            }
        }
    }

    // ---- wakeup and close ----

    @Override
    public void wakeup() {
        subscriptions.wakeup();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    @Override
    public void close(Duration timeout) {
        acquire();
        try {
            if (closed || closing) {
                return;
            }
            closing = true;
            long deadlineMs = deadline(timeout);
            try {
                closeGroup(deadlineMs);
            } catch (WakeupException e) {
                LOG.debug("woken up while closing; closing anyway");
            } catch (ConsumerException e) {
                LOG.warn("while closing: {}", e.getMessage());
            } finally {
                closed = true;
            }
            io.shutdown();
            try {
                ioThread.join(Math.max(1, deadlineMs - clock.milliseconds()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            release();
        }
    }

    private void closeGroup(long deadlineMs) {
        if (config.groupId() == null || !io.isRunning()) {
            return;
        }
        subscriptions.clearWakeup();
        if (config.autoCommit() && (subscriptions.mode() == SubscriptionState.Mode.MANUAL
                || group.state() == GroupState.MemberState.STABLE)) {
            try {
                commits.commitSync(subscriptions.allConsumed(), deadlineMs);
            } catch (ConsumerException e) {
                LOG.warn("auto-commit on close failed: {}", e.getMessage());
            }
        }
        commits.awaitAsyncCommits(deadlineMs);
        if (subscriptions.mode() == SubscriptionState.Mode.SUBSCRIBED) {
            coordinator.leave("the consumer is closing", deadlineMs);
        }
    }
}

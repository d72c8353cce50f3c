package io.tidelog.client.consumer;

import io.tidelog.client.common.BrokerConnection;
import io.tidelog.client.common.NetworkClient;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.client.consumer.ConsumerConfig.OffsetResetStrategy;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ListOffsetsRequest;
import io.tidelog.protocol.message.ListOffsetsResponse;
import io.tidelog.protocol.message.OffsetForLeaderEpochRequest;
import io.tidelog.protocol.message.OffsetForLeaderEpochResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Position upkeep, a duty of the network thread:
 * <ul>
 * <li>resets: ListOffsets (earliest = log start offset, latest = high-water mark) for partitions
 *     awaiting one ({@code seekToBeginning/End}, no committed offset, out of range);</li>
 * <li>validation after a leader change (KIP-320): when a partition's leader epoch grows past the
 *     one its position was confirmed under, OffsetForLeaderEpoch asks the new leader where the
 *     epoch of the last record read ends; an end below the position means the log was truncated
 *     under us: the position moves back to the divergence point (reset policy earliest/latest)
 *     or the application gets a {@link LogTruncationException} (policy none).</li>
 * </ul>
 * Brokers offering OffsetForLeaderEpoch below v3 are not asked (as Kafka's consumer does):
 * the position is accepted as is.
 */
final class OffsetLookups implements NetworkThread.Duty {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetLookups.class);
    static final long EARLIEST_TIMESTAMP = -2L;
    static final long LATEST_TIMESTAMP = -1L;

    private final ConsumerConfig config;
    private final SubscriptionState subscriptions;
    private final ConsumerMetadata metadata;
    private final NetworkThread io;

    OffsetLookups(ConsumerConfig config, SubscriptionState subscriptions, ConsumerMetadata metadata,
                  NetworkThread io) {
        this.config = config;
        this.subscriptions = subscriptions;
        this.metadata = metadata;
        this.io = io;
    }

    @Override
    public void run(long nowMs) {
        Map<Integer, List<SubscriptionState.PartitionState>> resets = new LinkedHashMap<>();
        Map<Integer, List<SubscriptionState.PartitionState>> validations = new LinkedHashMap<>();
        synchronized (subscriptions) {
            for (SubscriptionState.PartitionState state : subscriptions.states()) {
                noticeLeaderEpoch(state);
                boolean wantsReset = state.state == SubscriptionState.FetchState.AWAIT_RESET
                        && state.resetStrategy != OffsetResetStrategy.NONE;
                boolean wantsValidation = state.state == SubscriptionState.FetchState.AWAIT_VALIDATION;
                if ((!wantsReset && !wantsValidation) || state.lookupInFlight || nowMs < state.retryNotBeforeMs) {
                    continue;
                }
                ConsumerMetadata.PartitionInfo info = metadata.partition(state.tp);
                if (info == null || info.leader() < 0) {
                    metadata.requestUpdate();
                    continue;
                }
                (wantsReset ? resets : validations).computeIfAbsent(info.leader(), n -> new ArrayList<>()).add(state);
            }
        }
        resets.forEach((node, states) -> sendListOffsets(node, states, nowMs));
        validations.forEach((node, states) -> sendValidation(node, states, nowMs));
    }

    /** A leader epoch newer than the one the position was confirmed under calls for validation. */
    private void noticeLeaderEpoch(SubscriptionState.PartitionState state) {
        if (state.state != SubscriptionState.FetchState.FETCHING) {
            return;
        }
        ConsumerMetadata.PartitionInfo info = metadata.partition(state.tp);
        if (info == null || info.leaderEpoch() < 0 || info.leaderEpoch() == state.leaderEpoch) {
            return;
        }
        if (state.leaderEpoch >= 0 && info.leaderEpoch() > state.leaderEpoch && state.offsetEpoch >= 0) {
            state.state = SubscriptionState.FetchState.AWAIT_VALIDATION;
            state.completed = null;
            state.retryNotBeforeMs = 0;
        } else if (info.leaderEpoch() > state.leaderEpoch) {
            state.leaderEpoch = info.leaderEpoch();
        }
    }

    private boolean ready(int node, long nowMs) {
        InetSocketAddress address = metadata.broker(node);
        if (address == null) {
            metadata.requestUpdate();
            return false;
        }
        return io.network().ready(node, address, nowMs);
    }

    // ---- resets ----

    private void sendListOffsets(int node, List<SubscriptionState.PartitionState> states, long nowMs) {
        if (!ready(node, nowMs)) {
            return;
        }
        Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
        Map<TopicPartition, OffsetResetStrategy> strategies = new LinkedHashMap<>();
        synchronized (subscriptions) {
            for (SubscriptionState.PartitionState state : states) {
                state.lookupInFlight = true;
                strategies.put(state.tp, state.resetStrategy);
                timestamps.put(state.tp, state.resetStrategy == OffsetResetStrategy.EARLIEST
                        ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP);
            }
        }
        ListOffsetsRequest request = listOffsetsRequest(timestamps, metadata);
        io.network().send(node, ApiKey.LIST_OFFSETS, request, true, new NetworkClient.RequestCallback() {
            @Override
            public void onComplete(ApiMessage response) {
                onListOffsets(strategies, (ListOffsetsResponse) response);
            }

            @Override
            public void onDisconnect(IOException cause) {
                retryLater(strategies.keySet());
            }
        }, nowMs);
    }

    static ListOffsetsRequest listOffsetsRequest(Map<TopicPartition, Long> timestamps, ConsumerMetadata metadata) {
        Map<String, ListOffsetsRequest.ListOffsetsTopic> topics = new LinkedHashMap<>();
        timestamps.forEach((tp, timestamp) -> {
            ConsumerMetadata.PartitionInfo info = metadata.partition(tp);
            topics.computeIfAbsent(tp.topic(), t -> new ListOffsetsRequest.ListOffsetsTopic().setName(t)
                            .setPartitions(new ArrayList<>()))
                    .partitions().add(new ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition()
                            .setPartitionIndex(tp.partition())
                            .setCurrentLeaderEpoch(info == null ? -1 : info.leaderEpoch())
                            .setTimestamp(timestamp));
        });
        return new ListOffsetsRequest().setReplicaId(-1).setIsolationLevel((byte) 0)
                .setTopics(new ArrayList<>(topics.values()));
    }

    private void retryLater(Iterable<TopicPartition> partitions) {
        long until = io.clock().milliseconds() + config.retryBackoffMs();
        synchronized (subscriptions) {
            for (TopicPartition tp : partitions) {
                SubscriptionState.PartitionState state = subscriptions.state(tp);
                if (state != null) {
                    state.lookupInFlight = false;
                    state.retryNotBeforeMs = until;
                }
            }
            metadata.requestUpdate();
        }
    }

    private void onListOffsets(Map<TopicPartition, OffsetResetStrategy> strategies, ListOffsetsResponse response) {
        List<TopicPartition> retry = new ArrayList<>();
        synchronized (subscriptions) {
            for (ListOffsetsResponse.ListOffsetsTopicResponse topic : response.topics()) {
                for (ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse partition
                        : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                    SubscriptionState.PartitionState state = subscriptions.state(tp);
                    OffsetResetStrategy asked = strategies.get(tp);
                    if (state == null || asked == null || state.state != SubscriptionState.FetchState.AWAIT_RESET
                            || state.resetStrategy != asked) {
                        continue;
                    }
                    state.lookupInFlight = false;
                    Errors error = Errors.forCode(partition.errorCode());
                    if (error != Errors.NONE || partition.offset() < 0) {
                        retry.add(tp);
                        continue;
                    }
                    LOG.info("resetting the position of {} to offset {} ({})", tp, partition.offset(),
                            asked.name().toLowerCase(java.util.Locale.ROOT));
                    state.state = SubscriptionState.FetchState.FETCHING;
                    state.position = partition.offset();
                    state.offsetEpoch = -1;
                    state.leaderEpoch = -1;
                }
            }
            for (TopicPartition tp : strategies.keySet()) {
                SubscriptionState.PartitionState state = subscriptions.state(tp);
                if (state != null && state.lookupInFlight && state.resetStrategy == strategies.get(tp)) {
                    retry.add(tp);
                }
            }
            subscriptions.signal();
        }
        if (!retry.isEmpty()) {
            retryLater(retry);
        }
    }

    // ---- out of range and truncation (called under the subscriptions monitor) ----

    void onOffsetOutOfRange(SubscriptionState.PartitionState state) {
        OffsetResetStrategy strategy = subscriptions.defaultReset();
        if (strategy == OffsetResetStrategy.NONE) {
            state.error = new OffsetOutOfRangeException(Map.of(state.tp, state.position));
            return;
        }
        LOG.info("position {} of {} is out of range (log start {}, high-water mark {}); resetting to {}",
                state.position, state.tp, state.logStartOffset, state.highWatermark,
                strategy.name().toLowerCase(java.util.Locale.ROOT));
        state.state = SubscriptionState.FetchState.AWAIT_RESET;
        state.resetStrategy = strategy;
        state.retryNotBeforeMs = 0;
    }

    /** The leader says the epoch of our last record ends at {@code endOffset} (-1: unknown epoch). */
    void applyEpochEndOffset(SubscriptionState.PartitionState state, int epoch, long endOffset) {
        ConsumerMetadata.PartitionInfo info = metadata.partition(state.tp);
        state.leaderEpoch = info == null ? -1 : info.leaderEpoch();
        state.completed = null;
        OffsetResetStrategy strategy = subscriptions.defaultReset();
        if (endOffset < 0 || epoch < 0) {
            if (strategy == OffsetResetStrategy.NONE) {
                state.error = new LogTruncationException(Map.of(state.tp, state.position), Map.of());
                return;
            }
            LOG.warn("the leader of {} knows no end for epoch {} of position {}; resetting to {}", state.tp,
                    state.offsetEpoch, state.position, strategy);
            state.state = SubscriptionState.FetchState.AWAIT_RESET;
            state.resetStrategy = strategy;
            return;
        }
        if (endOffset < state.position) {
            if (strategy == OffsetResetStrategy.NONE) {
                state.error = new LogTruncationException(Map.of(state.tp, state.position),
                        Map.of(state.tp, new OffsetAndMetadata(endOffset, epoch, "")));
                return;
            }
            LOG.warn("log truncation detected for {}: position {} is beyond the leader's log, which diverges at "
                    + "offset {} (epoch {}); continuing from there", state.tp, state.position, endOffset, epoch);
            state.position = endOffset;
            state.offsetEpoch = epoch;
        }
        state.state = SubscriptionState.FetchState.FETCHING;
    }

    // ---- validation ----

    private void sendValidation(int node, List<SubscriptionState.PartitionState> states, long nowMs) {
        if (!ready(node, nowMs)) {
            return;
        }
        BrokerConnection connection = io.network().readyConnection(node);
        if (connection.versions().version(ApiKey.OFFSET_FOR_LEADER_EPOCH) < 3) {
            synchronized (subscriptions) {
                for (SubscriptionState.PartitionState state : states) {
                    if (state.state == SubscriptionState.FetchState.AWAIT_VALIDATION) {
                        ConsumerMetadata.PartitionInfo info = metadata.partition(state.tp);
                        state.leaderEpoch = info == null ? -1 : info.leaderEpoch();
                        state.state = SubscriptionState.FetchState.FETCHING;
                    }
                }
                subscriptions.signal();
            }
            return;
        }
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        Map<String, OffsetForLeaderEpochRequest.OffsetForLeaderTopic> topics = new LinkedHashMap<>();
        synchronized (subscriptions) {
            for (SubscriptionState.PartitionState state : states) {
                ConsumerMetadata.PartitionInfo info = metadata.partition(state.tp);
                state.lookupInFlight = true;
                positions.put(state.tp, state.position);
                topics.computeIfAbsent(state.tp.topic(), t -> new OffsetForLeaderEpochRequest.OffsetForLeaderTopic()
                                .setTopic(t).setPartitions(new ArrayList<>()))
                        .partitions().add(new OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition()
                                .setPartition(state.tp.partition())
                                .setCurrentLeaderEpoch(info == null ? -1 : info.leaderEpoch())
                                .setLeaderEpoch(state.offsetEpoch));
            }
        }
        OffsetForLeaderEpochRequest request = new OffsetForLeaderEpochRequest().setReplicaId(-1)
                .setTopics(new ArrayList<>(topics.values()));
        io.network().send(node, ApiKey.OFFSET_FOR_LEADER_EPOCH, request, true, new NetworkClient.RequestCallback() {
            @Override
            public void onComplete(ApiMessage response) {
                onValidation(positions, (OffsetForLeaderEpochResponse) response);
            }

            @Override
            public void onDisconnect(IOException cause) {
                retryLater(positions.keySet());
            }
        }, nowMs);
    }

    private void onValidation(Map<TopicPartition, Long> positions, OffsetForLeaderEpochResponse response) {
        List<TopicPartition> retry = new ArrayList<>();
        synchronized (subscriptions) {
            for (OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult topic : response.topics()) {
                for (OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult.EpochEndOffset result
                        : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.topic(), result.partition());
                    SubscriptionState.PartitionState state = subscriptions.state(tp);
                    Long asked = positions.get(tp);
                    if (state == null || asked == null || state.state != SubscriptionState.FetchState.AWAIT_VALIDATION
                            || state.position != asked) {
                        continue;
                    }
                    state.lookupInFlight = false;
                    if (Errors.forCode(result.errorCode()) != Errors.NONE) {
                        retry.add(tp);
                        continue;
                    }
                    applyEpochEndOffset(state, result.leaderEpoch(), result.endOffset());
                }
            }
            for (TopicPartition tp : positions.keySet()) {
                SubscriptionState.PartitionState state = subscriptions.state(tp);
                if (state != null && state.lookupInFlight && state.state == SubscriptionState.FetchState.AWAIT_VALIDATION) {
                    retry.add(tp);
                }
            }
            subscriptions.signal();
        }
        if (!retry.isEmpty()) {
            retryLater(retry);
        }
    }
}

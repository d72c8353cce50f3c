package io.tidelog.client.consumer;

import io.tidelog.client.common.NetworkClient;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.FetchRequest;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.Records;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetching, a duty of the network thread: at most one Fetch request in flight per leader, asking
 * for every fetchable partition that broker leads (see {@link SubscriptionState} for when a
 * partition is fetchable). A broker is asked again as soon as the poll thread has drained what
 * was fetched from it into poll results, so the next fetch travels while the application
 * processes those records (see {@link #nodesStillDraining} for why not earlier).
 *
 * <p>Answers are applied only if the partition is still assigned at the same position; errors
 * move the partition to a reset (out of range), refresh metadata (leadership moved, epoch
 * fenced), or validate the position (the broker reports a diverging epoch).
 */
final class Fetcher implements NetworkThread.Duty {

    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

    private final ConsumerConfig config;
    private final SubscriptionState subscriptions;
    private final ConsumerMetadata metadata;
    private final NetworkThread io;
    private final OffsetLookups lookups;
    private final Set<Integer> nodesWithFetchInFlight = new HashSet<>();

    Fetcher(ConsumerConfig config, SubscriptionState subscriptions, ConsumerMetadata metadata, NetworkThread io,
            OffsetLookups lookups) {
        this.config = config;
        this.subscriptions = subscriptions;
        this.metadata = metadata;
        this.io = io;
        this.lookups = lookups;
    }

    private record FetchTarget(TopicPartition tp, long offset, int offsetEpoch, int leaderEpoch) {
    }

    @Override
    public void run(long nowMs) {
        Map<Integer, List<FetchTarget>> byNode = collectFetchable(nowMs);
        byNode.forEach((node, targets) -> sendFetch(node, targets, nowMs));
    }

    private Map<Integer, List<FetchTarget>> collectFetchable(long nowMs) {
        Map<Integer, List<FetchTarget>> byNode = new LinkedHashMap<>();
        synchronized (subscriptions) {
            Set<Integer> draining = nodesStillDraining();
            for (SubscriptionState.PartitionState state : subscriptions.states()) {
                if (state.state != SubscriptionState.FetchState.FETCHING || state.paused || state.completed != null
                        || state.error != null || nowMs < state.retryNotBeforeMs) {
                    continue;
                }
                ConsumerMetadata.PartitionInfo info = metadata.partition(state.tp);
                if (info == null || info.leader() < 0) {
                    metadata.requestUpdate();
                    continue;
                }
                if (nodesWithFetchInFlight.contains(info.leader()) || draining.contains(info.leader())) {
                    continue;
                }
                InetSocketAddress address = metadata.broker(info.leader());
                if (address == null) {
                    metadata.requestUpdate();
                    continue;
                }
                byNode.computeIfAbsent(info.leader(), n -> new ArrayList<>())
                        .add(new FetchTarget(state.tp, state.position, state.offsetEpoch, info.leaderEpoch()));
            }
        }
        byNode.keySet().removeIf(node -> !io.network().ready(node, metadata.broker(node), nowMs));
        return byNode;
    }

    /**
     * Leaders of partitions whose fetched records the application has not drained yet. No fetch
     * goes to such a broker until they are drained: it would ask only for the other partitions,
     * and if those have nothing new the broker parks it for fetch.max.wait.ms, during which the
     * drained partition cannot be fetched again (one fetch in flight per broker). Fetching every
     * partition of the broker together once the buffer is drained costs one round trip instead.
     * Paused partitions and partitions stuck at a record that fails (until the application seeks)
     * do not count: polling alone would never drain them.
     */
    private Set<Integer> nodesStillDraining() {
        Set<Integer> nodes = new HashSet<>();
        for (SubscriptionState.PartitionState state : subscriptions.states()) {
            if (state.completed != null && !state.completed.isStuck() && !state.paused
                    && state.state == SubscriptionState.FetchState.FETCHING) {
                ConsumerMetadata.PartitionInfo info = metadata.partition(state.tp);
                if (info != null) {
                    nodes.add(info.leader());
                }
            }
        }
        return nodes;
    }

    private void sendFetch(int node, List<FetchTarget> targets, long nowMs) {
        boolean sendsLastFetchedEpoch = io.network().readyConnection(node).versions().version(ApiKey.FETCH) >= 12;
        Map<String, FetchRequest.FetchTopic> topics = new LinkedHashMap<>();
        Map<TopicPartition, FetchTarget> requested = new HashMap<>();
        for (FetchTarget target : targets) {
            requested.put(target.tp(), target);
            topics.computeIfAbsent(target.tp().topic(), t -> new FetchRequest.FetchTopic().setTopic(t)
                            .setPartitions(new ArrayList<>()))
                    .partitions().add(new FetchRequest.FetchTopic.FetchPartition()
                            .setPartition(target.tp().partition())
                            .setCurrentLeaderEpoch(target.leaderEpoch())
                            .setFetchOffset(target.offset())
                            .setLastFetchedEpoch(sendsLastFetchedEpoch ? target.offsetEpoch() : -1)
                            .setLogStartOffset(-1)
                            .setPartitionMaxBytes(config.maxPartitionFetchBytes()));
        }
        FetchRequest request = new FetchRequest().setReplicaId(-1).setMaxWaitMs(config.fetchMaxWaitMs())
                .setMinBytes(config.fetchMinBytes()).setMaxBytes(config.fetchMaxBytes()).setIsolationLevel((byte) 0)
                .setSessionId(0).setSessionEpoch(-1).setTopics(new ArrayList<>(topics.values()))
                .setForgottenTopicsData(new ArrayList<>()).setRackId(config.clientRack());
        nodesWithFetchInFlight.add(node);
        boolean sent = io.network().send(node, ApiKey.FETCH, request, true, new NetworkClient.RequestCallback() {
            @Override
            public void onComplete(ApiMessage response) {
                nodesWithFetchInFlight.remove(node);
                onFetchResponse(requested, (FetchResponse) response);
            }

            @Override
            public void onDisconnect(IOException cause) {
                nodesWithFetchInFlight.remove(node);
                LOG.debug("fetch from node {} failed: {}", node, cause.getMessage());
                metadata.requestUpdate();
                backOff(requested.keySet());
            }
        }, nowMs);
        if (!sent) {
            nodesWithFetchInFlight.remove(node);
        }
    }

    private void backOff(Set<TopicPartition> partitions) {
        long until = io.clock().milliseconds() + config.retryBackoffMs();
        synchronized (subscriptions) {
            for (TopicPartition tp : partitions) {
                SubscriptionState.PartitionState state = subscriptions.state(tp);
                if (state != null) {
                    state.retryNotBeforeMs = until;
                }
            }
        }
    }

    private void onFetchResponse(Map<TopicPartition, FetchTarget> requested, FetchResponse response) {
        Errors topLevel = Errors.forCode(response.errorCode());
        if (topLevel != Errors.NONE) {
            LOG.warn("fetch failed as a whole: {}", topLevel);
            backOff(requested.keySet());
            return;
        }
        synchronized (subscriptions) {
            for (FetchResponse.FetchableTopicResponse topic : response.responses()) {
                for (FetchResponse.FetchableTopicResponse.PartitionData data : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.topic(), data.partitionIndex());
                    FetchTarget target = requested.get(tp);
                    SubscriptionState.PartitionState state = subscriptions.state(tp);
                    if (target == null || state == null || state.state != SubscriptionState.FetchState.FETCHING
                            || state.position != target.offset() || state.completed != null) {
                        continue;
                    }
                    onPartitionData(state, target, data);
                }
            }
            subscriptions.signal();
        }
    }

    private void onPartitionData(SubscriptionState.PartitionState state, FetchTarget target,
                                 FetchResponse.FetchableTopicResponse.PartitionData data) {
        Errors error = Errors.forCode(data.errorCode());
        state.highWatermark = data.highWatermark();
        state.logStartOffset = data.logStartOffset();
        switch (error) {
            case NONE -> {
                FetchResponse.FetchableTopicResponse.PartitionData.EpochEndOffset diverging = data.divergingEpoch();
                if (diverging != null && diverging.epoch() >= 0) {
                    lookups.applyEpochEndOffset(state, diverging.epoch(), diverging.endOffset());
                    return;
                }
                Records records = data.records();
                if (records instanceof MemoryRecords memory && memory.sizeInBytes() > 0) {
                    ByteBuffer buffer = memory.buffer().duplicate();
                    state.completed = new CompletedFetch(state.tp, target.offset(), buffer);
                }
            }
            case OFFSET_OUT_OF_RANGE -> lookups.onOffsetOutOfRange(state);
            case NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, FENCED_LEADER_EPOCH,
                 UNKNOWN_LEADER_EPOCH, KAFKA_STORAGE_ERROR, OFFSET_NOT_AVAILABLE, REPLICA_NOT_AVAILABLE,
                 BROKER_NOT_AVAILABLE, UNKNOWN_TOPIC_ID, INCONSISTENT_TOPIC_ID -> {
                metadata.requestUpdate();
                state.retryNotBeforeMs = io.clock().milliseconds() + config.retryBackoffMs();
            }
            case TOPIC_AUTHORIZATION_FAILED -> state.error = new ConsumerException("not authorized to read topic "
                    + state.tp.topic() + ": ask an administrator for READ access");
            case CORRUPT_MESSAGE -> state.error = new CorruptRecordException(state.tp, target.offset(),
                    "the broker reports corrupt data at offset " + target.offset() + " of " + state.tp
                    + "; seek past it to continue");
            default -> {
                LOG.warn("fetch of {} at offset {} failed with {}; retrying", state.tp, target.offset(), error);
                state.retryNotBeforeMs = io.clock().milliseconds() + config.retryBackoffMs();
            }
        }
    }
}

package io.tidelog.client.producer;

import io.tidelog.client.common.Clock;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.MetadataResponse;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the producer knows of the cluster: brokers, and for each topic it sends to the leader of
 * every partition. The sender replaces the snapshot after each Metadata response; application
 * threads read it and wait on this object's monitor for a topic to appear.
 *
 * <p>Invariants: {@link #snapshot} is immutable and swapped whole; {@link #topics} only grows
 * (topics this producer has been asked to send to); waiters are woken after every update.
 */
final class ClusterMetadata {

    /** Leaders per partition (-1: no leader now) and the topic's error, if any. */
    record TopicInfo(int[] leaders, Errors error) {
        int partitionCount() {
            return leaders.length;
        }
    }

    record Snapshot(Map<Integer, InetSocketAddress> brokers, Map<String, TopicInfo> topics) {
    }

    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());
    private volatile boolean updateRequested = true;
    private volatile long lastUpdateMs;
    private volatile boolean everUpdated;

    Snapshot snapshot() {
        return snapshot;
    }

    Set<String> topics() {
        return topics;
    }

    /** Adds a topic of interest; returns true if it was new (the sender must fetch it). */
    boolean addTopic(String topic) {
        if (topics.add(topic)) {
            requestUpdate();
            return true;
        }
        return false;
    }

    void requestUpdate() {
        updateRequested = true;
    }

    boolean updateRequested() {
        return updateRequested;
    }

    long lastUpdateMs() {
        return lastUpdateMs;
    }

    /** True once any broker answered a Metadata request. */
    boolean everUpdated() {
        return everUpdated;
    }

    /** Applies a Metadata response (sender thread) and wakes threads waiting for topics. */
    void update(MetadataResponse response, long nowMs) {
        Map<Integer, InetSocketAddress> brokers = new HashMap<>();
        for (MetadataResponse.MetadataResponseBroker broker : response.brokers()) {
            brokers.put(broker.nodeId(), InetSocketAddress.createUnresolved(broker.host(), broker.port()));
        }
        Map<String, TopicInfo> topicInfos = new HashMap<>();
        boolean missingLeader = false;
        for (MetadataResponse.MetadataResponseTopic topic : response.topics()) {
            Errors error = Errors.forCode(topic.errorCode());
            List<MetadataResponse.MetadataResponseTopic.MetadataResponsePartition> partitions = topic.partitions();
            int[] leaders = new int[error == Errors.NONE ? partitions.size() : 0];
            for (MetadataResponse.MetadataResponseTopic.MetadataResponsePartition partition : partitions) {
                if (partition.partitionIndex() < leaders.length) {
                    leaders[partition.partitionIndex()] = partition.leaderId();
                    missingLeader |= partition.leaderId() < 0;
                }
            }
            topicInfos.put(topic.name(), new TopicInfo(leaders, error));
        }
        boolean topicMissing = false;
        for (String topic : topics) {
            TopicInfo info = topicInfos.get(topic);
            topicMissing |= info == null || info.error() != Errors.NONE;
        }
        synchronized (this) {
            snapshot = new Snapshot(Map.copyOf(brokers), Map.copyOf(topicInfos));
            updateRequested = missingLeader || topicMissing;
            lastUpdateMs = nowMs;
            everUpdated = true;
            notifyAll();
        }
    }

    /** Wakes waiters without new data (a failed metadata attempt or close). */
    synchronized void wakeWaiters() {
        notifyAll();
    }

    /**
     * The partition count of {@code topic}, waiting up to {@code maxWaitMs} for the sender to learn
     * it; -1 when the time ran out.
     */
    int awaitPartitionCount(String topic, long maxWaitMs, Clock clock, Runnable wakeSender)
            throws InterruptedException {
        TopicInfo info = snapshot.topics().get(topic);
        if (info != null && info.partitionCount() > 0) {
            return info.partitionCount();
        }
        addTopic(topic);
        requestUpdate();
        wakeSender.run();
        long deadline = clock.milliseconds() + maxWaitMs;
        synchronized (this) {
            while (true) {
                info = snapshot.topics().get(topic);
                if (info != null && info.partitionCount() > 0) {
                    return info.partitionCount();
                }
                long remaining = deadline - clock.milliseconds();
                if (remaining <= 0) {
                    return -1;
                }
                wait(Math.min(remaining, 100));
            }
        }
    }

    /** The leader of a partition, or -1 when unknown. */
    int leader(TopicPartition tp) {
        TopicInfo info = snapshot.topics().get(tp.topic());
        if (info == null || tp.partition() >= info.partitionCount()) {
            return -1;
        }
        return info.leaders()[tp.partition()];
    }

    int partitionCount(String topic) {
        TopicInfo info = snapshot.topics().get(topic);
        return info == null ? 0 : info.partitionCount();
    }

    Errors topicError(String topic) {
        TopicInfo info = snapshot.topics().get(topic);
        return info == null ? null : info.error();
    }
}

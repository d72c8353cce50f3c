package io.tidelog.client.consumer;

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
 * What the consumer knows of the cluster: brokers, and for each topic of interest its partitions'
 * leaders and leader epochs (the generation clock a position is validated against). The network
 * thread replaces the snapshot after each Metadata response; the poll thread reads it.
 *
 * <p>Invariants: {@link #snapshot} is immutable and swapped whole; a topic is of interest while
 * it is subscribed, assigned, or asked about; {@code updateListener} runs after every change
 * (to wake a waiting poll).
 */
final class ConsumerMetadata {

    /** A partition's leader (-1: none now) and leader epoch (-1: unknown). */
    record PartitionInfo(int leader, int leaderEpoch) {
    }

    /** A topic's partitions in order, or its error (then no partitions). */
    record TopicInfo(List<PartitionInfo> partitions, Errors error) {
    }

    record Snapshot(Map<Integer, InetSocketAddress> brokers, Map<String, TopicInfo> topics) {
    }

    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final Runnable updateListener;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());
    private volatile boolean updateRequested = true;
    private volatile long lastSuccessMs = -1;
    /** When the current run of failed attempts began (no broker ready, connection lost); -1 after a success. */
    private volatile long failingSinceMs = -1;
    /** Incremented on every applied response; waiters compare it. */
    private volatile long version;

    ConsumerMetadata(Runnable updateListener) {
        this.updateListener = updateListener;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    Set<String> topics() {
        return topics;
    }

    /** Adds topics of interest; an update is requested if any was new. */
    void addTopics(Iterable<String> names) {
        boolean added = false;
        for (String name : names) {
            added |= topics.add(name);
        }
        if (added) {
            requestUpdate();
        }
    }

    /** Keeps interest only in {@code names} (plus nothing else). */
    void retainTopics(Set<String> names) {
        topics.retainAll(names);
        addTopics(names);
    }

    void requestUpdate() {
        updateRequested = true;
    }

    boolean updateRequested() {
        return updateRequested;
    }

    long lastSuccessMs() {
        return lastSuccessMs;
    }

    /** A metadata attempt could not be made or was lost (network thread). */
    void noteFailure(long nowMs) {
        if (failingSinceMs < 0) {
            failingSinceMs = nowMs;
        }
    }

    /** How long metadata attempts have been failing without a success in between; 0 if not failing. */
    long failingForMs(long nowMs) {
        long since = failingSinceMs;
        return since < 0 ? 0 : nowMs - since;
    }

    long version() {
        return version;
    }

    /** Applies a Metadata response (network thread). */
    void update(MetadataResponse response, long nowMs) {
        Map<Integer, InetSocketAddress> brokers = new HashMap<>();
        for (MetadataResponse.MetadataResponseBroker broker : response.brokers()) {
            brokers.put(broker.nodeId(), InetSocketAddress.createUnresolved(broker.host(), broker.port()));
        }
        Map<String, TopicInfo> infos = new HashMap<>();
        boolean incomplete = false;
        for (MetadataResponse.MetadataResponseTopic topic : response.topics()) {
            Errors error = Errors.forCode(topic.errorCode());
            if (error != Errors.NONE) {
                infos.put(topic.name(), new TopicInfo(List.of(), error));
                incomplete |= error != Errors.UNKNOWN_TOPIC_OR_PARTITION;
                continue;
            }
            PartitionInfo[] partitions = new PartitionInfo[topic.partitions().size()];
            for (MetadataResponse.MetadataResponseTopic.MetadataResponsePartition partition : topic.partitions()) {
                int index = partition.partitionIndex();
                if (index >= 0 && index < partitions.length) {
                    partitions[index] = new PartitionInfo(partition.leaderId(), partition.leaderEpoch());
                    incomplete |= partition.leaderId() < 0;
                }
            }
            for (int i = 0; i < partitions.length; i++) {
                if (partitions[i] == null) {
                    partitions[i] = new PartitionInfo(-1, -1);
                    incomplete = true;
                }
            }
            infos.put(topic.name(), new TopicInfo(List.of(partitions), Errors.NONE));
        }
        for (String topic : topics) {
            incomplete |= !infos.containsKey(topic);
        }
        snapshot = new Snapshot(Map.copyOf(brokers), Map.copyOf(infos));
        updateRequested = incomplete;
        lastSuccessMs = nowMs;
        failingSinceMs = -1;
        version++;
        updateListener.run();
    }

    /** The topic's info, or null when no Metadata response has mentioned it yet. */
    TopicInfo topic(String topic) {
        return snapshot.topics().get(topic);
    }

    /** The partition's leader and epoch, or null if unknown. */
    PartitionInfo partition(TopicPartition tp) {
        TopicInfo info = snapshot.topics().get(tp.topic());
        if (info == null || tp.partition() >= info.partitions().size()) {
            return null;
        }
        return info.partitions().get(tp.partition());
    }

    InetSocketAddress broker(int nodeId) {
        return snapshot.brokers().get(nodeId);
    }

    /** Partition counts of the known topics among {@code names} (missing topics left out). */
    Map<String, Integer> partitionCounts(Iterable<String> names) {
        Map<String, Integer> counts = new HashMap<>();
        for (String name : names) {
            TopicInfo info = snapshot.topics().get(name);
            if (info != null && info.error() == Errors.NONE) {
                counts.put(name, info.partitions().size());
            }
        }
        return counts;
    }
}

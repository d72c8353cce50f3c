package io.tidelog.broker.metadata;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An immutable snapshot of the cluster as this broker knows it: its own identity and endpoint,
 * and every topic. A new image replaces the old one atomically; readers take the current image
 * once per request and never lock.
 */
public final class MetadataImage {

    private final int nodeId;
    private final String clusterId;
    private final String advertisedHost;
    private final int advertisedPort;
    private final Map<String, TopicImage> topicsByName;
    private final Map<UUID, TopicImage> topicsById;

    public MetadataImage(int nodeId, String clusterId, String advertisedHost, int advertisedPort,
                         Map<String, TopicImage> topics) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
        this.topicsByName = Collections.unmodifiableMap(new TreeMap<>(topics));
        Map<UUID, TopicImage> byId = new HashMap<>();
        for (TopicImage topic : topics.values()) {
            byId.put(topic.topicId(), topic);
        }
        this.topicsById = Collections.unmodifiableMap(byId);
    }

    public int nodeId() {
        return nodeId;
    }

    public String clusterId() {
        return clusterId;
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    public int advertisedPort() {
        return advertisedPort;
    }

    /** The single-node cluster's controller is this broker. */
    public int controllerId() {
        return nodeId;
    }

    /** All topics, sorted by name. */
    public Map<String, TopicImage> topics() {
        return topicsByName;
    }

    public TopicImage topic(String name) {
        return topicsByName.get(name);
    }

    public TopicImage topic(UUID topicId) {
        return topicsById.get(topicId);
    }

    public boolean hasPartition(String topic, int partition) {
        TopicImage image = topicsByName.get(topic);
        return image != null && partition >= 0 && partition < image.partitionCount();
    }

    public MetadataImage withTopic(TopicImage topic) {
        Map<String, TopicImage> next = new HashMap<>(topicsByName);
        next.put(topic.name(), topic);
        return new MetadataImage(nodeId, clusterId, advertisedHost, advertisedPort, next);
    }

    public MetadataImage withoutTopic(String name) {
        Map<String, TopicImage> next = new HashMap<>(topicsByName);
        next.remove(name);
        return new MetadataImage(nodeId, clusterId, advertisedHost, advertisedPort, next);
    }

    public MetadataImage withEndpoint(String host, int port) {
        return new MetadataImage(nodeId, clusterId, host, port, topicsByName);
    }
}

package io.tidelog.broker.metadata;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The single-node topic registry: the current {@link MetadataImage} plus the changes that replace
 * it (create, delete, add partitions, alter configs).
 *
 * <p>Invariants: a change is written to the {@link TopicStore} before the new image is published,
 * so a published topic survives a crash; changes are serialized (one at a time) and applied to
 * listeners in that order; readers use {@link #image()} and never lock.
 */
public final class TopicRegistry {

    /** How a change went; the api layer turns it into an error code. */
    public enum Outcome { OK, ALREADY_EXISTS, COLLIDES, NOT_FOUND, INVALID_PARTITIONS }

    private final TopicStore store;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image;

    public TopicRegistry(TopicStore store, MetadataImage initial) {
        this.store = store;
        this.image = initial;
    }

    /** Loads the persisted topics into an image for this broker. */
    public static TopicRegistry open(TopicStore store, MetaProperties meta, String host, int port) throws IOException {
        return new TopicRegistry(store, new MetadataImage(meta.nodeId(), meta.clusterId(), host, port, store.load()));
    }

    public MetadataImage image() {
        return image;
    }

    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    /** Updates the advertised endpoint (known only once the listener is bound). Not persisted. */
    public synchronized void setEndpoint(String host, int port) {
        image = image.withEndpoint(host, port);
    }

    /** Checks whether a create would succeed, without changing anything. */
    public Outcome checkCreate(String name) {
        MetadataImage current = image;
        if (current.topic(name) != null) {
            return Outcome.ALREADY_EXISTS;
        }
        String key = TopicNames.collisionKey(name);
        for (String existing : current.topics().keySet()) {
            if (TopicNames.collisionKey(existing).equals(key)) {
                return Outcome.COLLIDES;
            }
        }
        return Outcome.OK;
    }

    public synchronized Outcome create(String name, int partitions, Map<String, String> configs) throws IOException {
        Outcome check = checkCreate(name);
        if (check != Outcome.OK) {
            return check;
        }
        if (partitions < 1) {
            return Outcome.INVALID_PARTITIONS;
        }
        publish(image.withTopic(new TopicImage(name, ClusterIds.randomUuid(), partitions, configs)));
        return Outcome.OK;
    }

    public synchronized Outcome delete(String name) throws IOException {
        if (image.topic(name) == null) {
            return Outcome.NOT_FOUND;
        }
        publish(image.withoutTopic(name));
        return Outcome.OK;
    }

    /** Grows a topic to {@code newCount} partitions; shrinking is never allowed. */
    public synchronized Outcome increasePartitions(String name, int newCount) throws IOException {
        TopicImage topic = image.topic(name);
        if (topic == null) {
            return Outcome.NOT_FOUND;
        }
        if (newCount <= topic.partitionCount()) {
            return Outcome.INVALID_PARTITIONS;
        }
        publish(image.withTopic(topic.withPartitionCount(newCount)));
        return Outcome.OK;
    }

    public synchronized Outcome replaceConfigs(String name, Map<String, String> configs) throws IOException {
        TopicImage topic = image.topic(name);
        if (topic == null) {
            return Outcome.NOT_FOUND;
        }
        publish(image.withTopic(topic.withConfigs(configs)));
        return Outcome.OK;
    }

    private void publish(MetadataImage next) throws IOException {
        store.save(next.topics().values());
        MetadataImage previous = image;
        image = next;
        for (MetadataListener listener : listeners) {
            listener.onMetadataChange(previous, next);
        }
    }
}

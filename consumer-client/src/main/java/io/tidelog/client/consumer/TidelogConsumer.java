package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The Tidelog consumer (implementation in progress: the API is stable, the body follows).
 */
public final class TidelogConsumer<K, V> implements Consumer<K, V> {

    private final ConsumerConfig config;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;

    /** Deserializers from {@code key.deserializer}/{@code value.deserializer}. */
    public TidelogConsumer(Map<String, ?> settings) {
        this(ConsumerConfig.from(settings), null, null);
    }

    public TidelogConsumer(Map<String, ?> settings, Deserializer<K> keyDeserializer,
                           Deserializer<V> valueDeserializer) {
        this(ConsumerConfig.from(settings), keyDeserializer, valueDeserializer);
    }

    public TidelogConsumer(Properties settings) {
        this(ConsumerConfig.from(settings), null, null);
    }

    public TidelogConsumer(Properties settings, Deserializer<K> keyDeserializer,
                           Deserializer<V> valueDeserializer) {
        this(ConsumerConfig.from(settings), keyDeserializer, valueDeserializer);
    }

    @SuppressWarnings("unchecked")
    private TidelogConsumer(ConsumerConfig config, Deserializer<K> keyDeserializer,
                            Deserializer<V> valueDeserializer) {
        this.config = config;
        this.keyDeserializer = keyDeserializer != null ? keyDeserializer
                : (Deserializer<K>) fromConfig(ConsumerConfig.KEY_DESERIALIZER, config.keyDeserializerClass());
        this.valueDeserializer = valueDeserializer != null ? valueDeserializer
                : (Deserializer<V>) fromConfig(ConsumerConfig.VALUE_DESERIALIZER, config.valueDeserializerClass());
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

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("not implemented yet");
    }

    @Override public void assign(Collection<TopicPartition> partitions) { throw notYet(); }
    @Override public Set<TopicPartition> assignment() { throw notYet(); }
    @Override public void subscribe(Collection<String> topics) { throw notYet(); }
    @Override public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) { throw notYet(); }
    @Override public Set<String> subscription() { throw notYet(); }
    @Override public void unsubscribe() { throw notYet(); }
    @Override public ConsumerRecords<K, V> poll(Duration timeout) { throw notYet(); }
    @Override public void seek(TopicPartition partition, long offset) { throw notYet(); }
    @Override public void seekToBeginning(Collection<TopicPartition> partitions) { throw notYet(); }
    @Override public void seekToEnd(Collection<TopicPartition> partitions) { throw notYet(); }
    @Override public long position(TopicPartition partition) { throw notYet(); }
    @Override public long position(TopicPartition partition, Duration timeout) { throw notYet(); }
    @Override public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) { throw notYet(); }
    @Override public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> p, Duration t) { throw notYet(); }
    @Override public void commitSync() { throw notYet(); }
    @Override public void commitSync(Duration timeout) { throw notYet(); }
    @Override public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) { throw notYet(); }
    @Override public void commitSync(Map<TopicPartition, OffsetAndMetadata> o, Duration t) { throw notYet(); }
    @Override public void commitAsync() { throw notYet(); }
    @Override public void commitAsync(OffsetCommitCallback callback) { throw notYet(); }
    @Override public void commitAsync(Map<TopicPartition, OffsetAndMetadata> o, OffsetCommitCallback c) { throw notYet(); }
    @Override public void pause(Collection<TopicPartition> partitions) { throw notYet(); }
    @Override public void resume(Collection<TopicPartition> partitions) { throw notYet(); }
    @Override public Set<TopicPartition> paused() { throw notYet(); }
    @Override public List<TopicPartition> partitionsFor(String topic) { throw notYet(); }
    @Override public List<TopicPartition> partitionsFor(String topic, Duration timeout) { throw notYet(); }
    @Override public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> p) { throw notYet(); }
    @Override public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> p, Duration t) { throw notYet(); }
    @Override public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> p) { throw notYet(); }
    @Override public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> p, Duration t) { throw notYet(); }
    @Override public void wakeup() { throw notYet(); }
    @Override public void close(Duration timeout) { throw notYet(); }
    @Override public void close() { throw notYet(); }
}

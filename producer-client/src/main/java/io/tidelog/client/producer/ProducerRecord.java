package io.tidelog.client.producer;

import io.tidelog.protocol.record.Header;
import java.util.List;
import java.util.Objects;

/**
 * A record to send. {@code partition} null lets the partitioner choose; {@code timestamp} null
 * means "now" (CreateTime set by the producer); {@code headers} are sent in order.
 */
public record ProducerRecord<K, V>(String topic, Integer partition, Long timestamp, K key, V value,
                                   List<Header> headers) {

    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("partition " + partition + " is negative");
        }
        if (timestamp != null && timestamp < 0) {
            throw new IllegalArgumentException("timestamp " + timestamp + " is negative");
        }
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, List.of());
    }

    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, List.of());
    }

    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, null, key, value, List.of());
    }

    public ProducerRecord(String topic, K key, V value, List<Header> headers) {
        this(topic, null, null, key, value, headers);
    }
}

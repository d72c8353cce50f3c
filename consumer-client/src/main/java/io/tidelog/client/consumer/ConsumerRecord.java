package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.record.Header;
import java.util.List;

/**
 * A record as read from a partition. {@code key} and {@code value} are what the deserializers
 * made of the bytes (null bytes stay null); {@code serializedKeySize}/{@code serializedValueSize}
 * are the byte lengths on the wire, -1 for null. {@code leaderEpoch} is the epoch of the leader
 * that appended the record's batch, or {@link #NO_LEADER_EPOCH} when the broker did not stamp one.
 */
public record ConsumerRecord<K, V>(String topic, int partition, long offset, long timestamp,
                                   TimestampType timestampType, int serializedKeySize, int serializedValueSize,
                                   K key, V value, List<Header> headers, int leaderEpoch) {

    public static final int NO_LEADER_EPOCH = -1;

    public ConsumerRecord {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** The last header with this key, or null (as Kafka's {@code Headers.lastHeader}). */
    public Header lastHeader(String key) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(key)) {
                return headers.get(i);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ConsumerRecord(" + topic + "-" + partition + "@" + offset + ", timestamp=" + timestamp + " "
                + timestampType + ", key=" + key + ", value=" + value + ", headers=" + headers + ", leaderEpoch="
                + leaderEpoch + ")";
    }
}

package io.tidelog.broker.replica;

/** A partition's identity: topic name and partition index. */
public record TopicPartition(String topic, int partition) {

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}

package io.tidelog.client.producer;

/**
 * Where an acknowledged record landed. {@code offset} is -1 with acks=0 (the broker does not
 * answer). {@code timestamp} is the broker's LogAppendTime when the topic uses it, else the
 * record's CreateTime.
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp) {

    public static final long UNKNOWN_OFFSET = -1L;
}

package io.tidelog.client.consumer;

/** What a record's timestamp means, from its batch's attributes (bit 3). */
public enum TimestampType {
    /** Set by the producer when it created the record. */
    CREATE_TIME,
    /** Set by the broker when it appended the batch (topic message.timestamp.type=LogAppendTime). */
    LOG_APPEND_TIME
}

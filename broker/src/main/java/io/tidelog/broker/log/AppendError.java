package io.tidelog.broker.log;

/**
 * Why an append wrote nothing. Each maps to the Kafka error code a produce response carries.
 */
public enum AppendError {
    NONE((short) 0),
    /** A batch failed length bounds, magic or CRC-32C (Kafka CORRUPT_MESSAGE). */
    CORRUPT_MESSAGE((short) 2),
    /** A batch is larger than max.message.bytes (Kafka MESSAGE_TOO_LARGE). */
    MESSAGE_TOO_LARGE((short) 10),
    /** A batch is larger than a whole segment (Kafka RECORD_LIST_TOO_LARGE). */
    RECORD_BATCH_TOO_LARGE((short) 18),
    /** Record count disagrees with lastOffsetDelta, or a record is malformed (Kafka INVALID_RECORD). */
    INVALID_RECORD((short) 87),
    /** Follower append whose first offset is not the log end offset, or with gaps (UNKNOWN_SERVER_ERROR: the fetcher handles it). */
    NON_CONTIGUOUS_OFFSET((short) -1),
    /** The disk is full or an I/O error occurred; the log stays at its previous end (Kafka KAFKA_STORAGE_ERROR). */
    STORAGE_ERROR((short) 56);

    private final short kafkaErrorCode;

    AppendError(short kafkaErrorCode) {
        this.kafkaErrorCode = kafkaErrorCode;
    }

    public short kafkaErrorCode() {
        return kafkaErrorCode;
    }
}

package io.tidelog.client.consumer;

/**
 * An offset to commit (the next record to read, not the last one read), an optional metadata
 * string stored with it, and the leader epoch of the last record read
 * ({@link ConsumerRecord#NO_LEADER_EPOCH} if unknown) so a later reader can detect truncation.
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata) {

    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        metadata = metadata == null ? "" : metadata;
    }

    public OffsetAndMetadata(long offset) {
        this(offset, ConsumerRecord.NO_LEADER_EPOCH, "");
    }

    public OffsetAndMetadata(long offset, String metadata) {
        this(offset, ConsumerRecord.NO_LEADER_EPOCH, metadata);
    }
}

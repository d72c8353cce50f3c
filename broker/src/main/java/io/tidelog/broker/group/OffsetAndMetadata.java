package io.tidelog.broker.group;

/**
 * A committed offset: the next offset the group will consume, the leader epoch of the record
 * before it (-1 unknown), the client's metadata string and when the commit was made (wall clock ms).
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {

    public static final int NO_LEADER_EPOCH = -1;

    public OffsetAndMetadata {
        metadata = metadata == null ? "" : metadata;
    }
}

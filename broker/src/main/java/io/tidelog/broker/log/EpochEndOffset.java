package io.tidelog.broker.log;

/**
 * Answer to "where does leader epoch E end on this replica" (OffsetForLeaderEpoch): the largest
 * epoch this replica knows that is {@code <=} the requested one, and the first offset after it.
 * Both are {@link #UNDEFINED} when the replica knows no such epoch.
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {

    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED = -1L;
    public static final EpochEndOffset UNKNOWN = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED);

    public boolean isDefined() {
        return leaderEpoch != UNDEFINED_EPOCH;
    }
}

package io.tidelog.broker.log;

/**
 * The points of one cleaning a {@link Hook} is told about, in order. Production runs with
 * {@link Hook#NONE}; crash tests stop the cleaner at any of them by throwing from the hook
 * (a RuntimeException skips every clean-up, as a crash would) and then reopen the log.
 */
public enum CleanerStep {
    /** The offset map of the dirty section is built; nothing was written. */
    OFFSET_MAP_BUILT,
    /** One more batch was written to a {@code *.cleaned} file (repeats). */
    CLEANED_BATCH_WRITTEN,
    /** A cleaned segment is complete and fsynced, not yet committed. */
    CLEANED_SEGMENT_WRITTEN,
    /** The checkpoint names the swap: from here recovery completes it. */
    SWAP_COMMITTED,
    /** One replaced segment's files were renamed to {@code *.deleted} (repeats). */
    REPLACED_SEGMENT_RENAMED,
    /** The cleaned segment has its final file names. */
    CLEANED_SEGMENT_RENAMED,
    /** The swap entry is gone from the checkpoint (repeats per group). */
    SWAP_FINISHED,
    /** The first dirty offset moved: the cleaning is complete. */
    CHECKPOINT_WRITTEN;

    /** Told about each step as it happens, on the cleaner thread. */
    @FunctionalInterface
    public interface Hook {
        Hook NONE = step -> { };

        void reached(CleanerStep step);
    }
}

package io.tidelog.broker.log;

/**
 * Outcome of {@link PartitionLog#read}: OFFSET_OUT_OF_RANGE (with an empty slice) or the slice of
 * whole batches (possibly empty). The caller owns the slice and must release it.
 */
public record LogReadResult(boolean offsetOutOfRange, LogSlice slice, long logStartOffset, long logEndOffset) {

    static LogReadResult outOfRange(long logStartOffset, long logEndOffset) {
        return new LogReadResult(true, LogSlice.empty(), logStartOffset, logEndOffset);
    }
}

package io.tidelog.protocol.record;

/**
 * Outcome of {@link RecordBatch#validate}: a flow value, never an exception. The first failing
 * check wins, in the order listed.
 */
public enum BatchValidation {
    /** All checks passed. */
    VALID,
    /** Fewer bytes remain than a batch header needs (a torn tail on disk). */
    TRUNCATED_HEADER,
    /** batchLength declares less than a header or more than the bytes available. */
    LENGTH_OUT_OF_BOUNDS,
    /** The magic byte is not 2. */
    BAD_MAGIC,
    /** The stored CRC-32C does not match bytes [21, end). */
    CRC_MISMATCH,
    /** recordsCount is not lastOffsetDelta + 1, or lastOffsetDelta is negative. */
    RECORD_COUNT_MISMATCH,
    /** An uncompressed record does not parse, its offsetDelta is out of sequence, or bytes are left over. */
    INVALID_RECORD;

    public boolean isValid() {
        return this == VALID;
    }

    /** True for damage (as opposed to a well-formed batch with inconsistent content). */
    public boolean isCorruption() {
        return this == TRUNCATED_HEADER || this == LENGTH_OUT_OF_BOUNDS || this == BAD_MAGIC || this == CRC_MISMATCH;
    }
}

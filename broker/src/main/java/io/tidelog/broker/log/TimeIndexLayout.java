package io.tidelog.broker.log;

/**
 * Descriptor of a {@code .timeindex} file: the largest batch timestamp seen so far and the batch
 * that carried it, one entry at most every {@code index.interval.bytes} and one on seal. Entries
 * are strictly increasing in timestamp and non-decreasing in offset; the file is preallocated
 * while its segment is active and trimmed when sealed.
 *
 * <pre>
 * entry offset size field
 * ------------ ---- ------------------------------------------------------------
 *            0    8 timestamp: max timestamp of all batches up to this one (ms)
 *            8    4 relativeOffset of the batch carrying it (baseOffset - segment base)
 * </pre>
 */
public final class TimeIndexLayout {

    public static final int TIMESTAMP_OFFSET = 0;
    public static final int RELATIVE_OFFSET_OFFSET = 8;
    public static final int ENTRY_SIZE = 12;

    private TimeIndexLayout() {
    }

    public static long timestampAt(int entry) {
        return (long) entry * ENTRY_SIZE + TIMESTAMP_OFFSET;
    }

    public static long relativeOffsetAt(int entry) {
        return (long) entry * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET;
    }
}

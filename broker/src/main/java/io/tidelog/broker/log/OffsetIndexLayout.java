package io.tidelog.broker.log;

/**
 * Descriptor of a {@code .index} file: a sparse map from offset to file position in the segment,
 * one entry every {@code index.interval.bytes} of log. Entries are strictly increasing in both
 * fields; the file is preallocated while its segment is active and trimmed to
 * {@code entries * ENTRY_SIZE} when sealed.
 *
 * <pre>
 * entry offset size field
 * ------------ ---- -----------------------------------------------
 *            0    4 relativeOffset = batch baseOffset - segment baseOffset
 *            4    4 position of that batch in the .log file
 * </pre>
 */
public final class OffsetIndexLayout {

    public static final int RELATIVE_OFFSET_OFFSET = 0;
    public static final int POSITION_OFFSET = 4;
    public static final int ENTRY_SIZE = 8;

    private OffsetIndexLayout() {
    }

    public static long relativeOffsetAt(int entry) {
        return (long) entry * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET;
    }

    public static long positionAt(int entry) {
        return (long) entry * ENTRY_SIZE + POSITION_OFFSET;
    }
}

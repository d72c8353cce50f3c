package io.tidelog.broker.log;

import io.tidelog.protocol.record.RecordBatchLayout;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Sparse timestamp → offset index of one segment ({@link TimeIndexLayout}).
 *
 * <p>Invariants: timestamps strictly increase and relative offsets never decrease; an entry
 * (t, o) means every batch up to and including the one at o has maxTimestamp {@code <= t}. So
 * the first batch with maxTimestamp {@code >= target} lies at or after the offset of the last
 * entry whose timestamp is below target.
 */
final class TimeIndex extends SegmentIndex {

    private long lastTimestamp = RecordBatchLayout.NO_TIMESTAMP;
    private int lastRelativeOffset = -1;

    private TimeIndex(Path path, long baseOffset, SegmentBackend backend) {
        super(path, baseOffset, backend, TimeIndexLayout.ENTRY_SIZE);
    }

    static TimeIndex create(Path path, long baseOffset, LogConfig config) throws IOException {
        TimeIndex index = new TimeIndex(path, baseOffset, config.backend());
        index.createEmpty(config.segmentIndexBytes());
        return index;
    }

    /** Opens an existing trimmed index; @throws CorruptIndexException when it is not monotonic. */
    static TimeIndex openSealed(Path path, long baseOffset, LogConfig config) throws IOException {
        TimeIndex index = new TimeIndex(path, baseOffset, config.backend());
        index.openSealed();
        try {
            index.sanityCheck();
        } catch (CorruptIndexException e) {
            index.close();
            throw e;
        }
        return index;
    }

    private void sanityCheck() throws CorruptIndexException {
        SharedMapping m = acquire();
        if (m == null) {
            return;
        }
        try {
            long previousTimestamp = Long.MIN_VALUE;
            int previousOffset = 0;
            for (int i = 0; i < entries(); i++) {
                long timestamp = m.file().getLong(TimeIndexLayout.timestampAt(i));
                int relative = m.file().getInt(TimeIndexLayout.relativeOffsetAt(i));
                if (timestamp <= previousTimestamp || relative < previousOffset) {
                    throw new CorruptIndexException("time index " + path() + " entry " + i + " (" + timestamp + ", "
                            + relative + ") is out of order");
                }
                previousTimestamp = timestamp;
                previousOffset = relative;
            }
            if (entries() > 0) {
                lastTimestamp = previousTimestamp;
                lastRelativeOffset = previousOffset;
            }
        } finally {
            m.release();
        }
    }

    /** Adds (timestamp, offset) if the timestamp is larger than the last entry's; owner only. */
    void maybeAppend(long timestamp, long offset) {
        int relative = (int) (offset - baseOffset);
        if (timestamp <= lastTimestamp || relative < lastRelativeOffset || !reserveNext()) {
            return;
        }
        int entry = entries();
        writable().putLong(TimeIndexLayout.timestampAt(entry), timestamp);
        writable().putInt(TimeIndexLayout.relativeOffsetAt(entry), relative);
        lastTimestamp = timestamp;
        lastRelativeOffset = relative;
        publishEntries(entry + 1);
    }

    /** Offset of the last entry, or the base offset when empty. */
    long lastOffset() {
        return baseOffset + Math.max(0, lastRelativeOffset);
    }

    /** The largest timestamp indexed, or NO_TIMESTAMP. */
    long lastTimestamp() {
        return lastTimestamp;
    }

    /**
     * The offset from which to scan for the first batch with maxTimestamp {@code >= target}: the
     * offset of the last entry whose timestamp is below target, or the base offset. Any thread.
     */
    long lookup(long target) {
        SharedMapping m = acquire();
        if (m == null) {
            return baseOffset;
        }
        try {
            int low = 0;
            int high = entries() - 1;
            int found = -1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (m.file().getLong(TimeIndexLayout.timestampAt(mid)) < target) {
                    found = mid;
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            return found < 0 ? baseOffset : baseOffset + m.file().getInt(TimeIndexLayout.relativeOffsetAt(found));
        } finally {
            m.release();
        }
    }

    /** Drops entries for offsets {@code >= offset}; owner only. */
    void truncateTo(long offset) {
        SharedMapping m = acquire();
        if (m == null) {
            return;
        }
        try {
            int keep = 0;
            while (keep < entries() && baseOffset + m.file().getInt(TimeIndexLayout.relativeOffsetAt(keep)) < offset) {
                keep++;
            }
            truncateEntries(keep);
            lastTimestamp = keep == 0 ? RecordBatchLayout.NO_TIMESTAMP : m.file().getLong(TimeIndexLayout.timestampAt(keep - 1));
            lastRelativeOffset = keep == 0 ? -1 : m.file().getInt(TimeIndexLayout.relativeOffsetAt(keep - 1));
        } finally {
            m.release();
        }
    }

    int entryCount() {
        return entries();
    }
}

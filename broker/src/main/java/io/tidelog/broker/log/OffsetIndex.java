package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Sparse offset → position index of one segment ({@link OffsetIndexLayout}).
 *
 * <p>Invariants: relative offsets and positions are strictly increasing; every entry points at
 * the first byte of a batch whose baseOffset is {@code baseOffset + relativeOffset}. A lookup
 * returns a position at or before the batch containing the target, so a reader scans forward
 * from it batch header by batch header.
 */
final class OffsetIndex extends SegmentIndex {

    private int lastRelativeOffset = -1;
    private int lastPosition = -1;

    private OffsetIndex(Path path, long baseOffset, SegmentBackend backend) {
        super(path, baseOffset, backend, OffsetIndexLayout.ENTRY_SIZE);
    }

    static OffsetIndex create(Path path, long baseOffset, LogConfig config) throws IOException {
        OffsetIndex index = new OffsetIndex(path, baseOffset, config.backend());
        index.createEmpty(config.segmentIndexBytes());
        return index;
    }

    /**
     * Opens an existing, trimmed index and checks it against its segment.
     *
     * @throws CorruptIndexException when missing, of a partial-entry length, not strictly
     *         increasing, or pointing past {@code segmentSize}
     */
    static OffsetIndex openSealed(Path path, long baseOffset, LogConfig config, long segmentSize) throws IOException {
        OffsetIndex index = new OffsetIndex(path, baseOffset, config.backend());
        index.openSealed();
        try {
            index.sanityCheck(segmentSize);
        } catch (CorruptIndexException e) {
            index.close();
            throw e;
        }
        return index;
    }

    private void sanityCheck(long segmentSize) throws CorruptIndexException {
        SharedMapping m = acquire();
        if (m == null) {
            return;
        }
        try {
            int previousOffset = -1;
            int previousPosition = 0;
            for (int i = 0; i < entries(); i++) {
                int relative = m.file().getInt(OffsetIndexLayout.relativeOffsetAt(i));
                int position = m.file().getInt(OffsetIndexLayout.positionAt(i));
                if (relative <= previousOffset || position <= previousPosition || position >= segmentSize) {
                    throw new CorruptIndexException("offset index " + path() + " entry " + i + " (" + relative + ", "
                            + position + ") is out of order or past the segment size " + segmentSize);
                }
                previousOffset = relative;
                previousPosition = position;
            }
            lastRelativeOffset = previousOffset;
            lastPosition = entries() == 0 ? -1 : previousPosition;
        } finally {
            m.release();
        }
    }

    /** Adds an entry for the batch at {@code position} starting at {@code offset}; owner only. */
    void append(long offset, int position) {
        int relative = (int) (offset - baseOffset);
        if (relative <= lastRelativeOffset || position <= lastPosition || !reserveNext()) {
            return;
        }
        int entry = entries();
        writable().putInt(OffsetIndexLayout.relativeOffsetAt(entry), relative);
        writable().putInt(OffsetIndexLayout.positionAt(entry), position);
        lastRelativeOffset = relative;
        lastPosition = position;
        publishEntries(entry + 1);
    }

    /** Position of the largest entry with offset {@code <= target}, or 0. Any thread. */
    int lookup(long target) {
        long relativeTarget = target - baseOffset;
        if (relativeTarget <= 0) {
            return 0;
        }
        SharedMapping m = acquire();
        if (m == null) {
            return 0;
        }
        try {
            int found = floorEntry(m.file(), entries(), relativeTarget);
            return found < 0 ? 0 : m.file().getInt(OffsetIndexLayout.positionAt(found));
        } finally {
            m.release();
        }
    }

    private static int floorEntry(MappedFile file, int entries, long relativeTarget) {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int relative = file.getInt(OffsetIndexLayout.relativeOffsetAt(mid));
            if (relative <= relativeTarget) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Drops entries for offsets {@code >= offset}; owner only. */
    void truncateTo(long offset) {
        SharedMapping m = acquire();
        if (m == null) {
            return;
        }
        try {
            int keep = floorEntry(m.file(), entries(), offset - baseOffset - 1) + 1;
            truncateEntries(keep);
            lastRelativeOffset = keep == 0 ? -1 : m.file().getInt(OffsetIndexLayout.relativeOffsetAt(keep - 1));
            lastPosition = keep == 0 ? -1 : m.file().getInt(OffsetIndexLayout.positionAt(keep - 1));
        } finally {
            m.release();
        }
    }

    /** Offset of the last entry, or the base offset when empty. */
    long lastOffset() {
        return baseOffset + Math.max(0, lastRelativeOffset);
    }

    /** Number of entries (for tests and diagnostics). */
    int entryCount() {
        return entries();
    }
}

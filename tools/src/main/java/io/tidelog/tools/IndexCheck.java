package io.tidelog.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.tidelog.broker.log.OffsetIndexLayout;
import io.tidelog.broker.log.TimeIndexLayout;

/**
 * Checks a segment's {@code .index} and {@code .timeindex} against its {@code .log}, read-only:
 * every offset-index entry must point at the start of a valid batch whose base offset is the
 * entry's offset, entries strictly increasing; every time-index entry must name the base offset of
 * a valid batch whose max timestamp is the entry's timestamp, timestamps strictly increasing and
 * offsets never decreasing. An all-zero entry after the first one is the preallocated tail of an
 * active index (and so is an all-zero first entry: the first batch is never indexed).
 */
final class IndexCheck {

    private final PrintWriter out;

    IndexCheck(PrintWriter out) {
        this.out = out;
    }

    /** Returns the number of bad entries found in the offset index. */
    int checkOffsetIndex(Path index, long segmentBaseOffset, SegmentDump.Result log) throws IOException {
        ByteBuffer entries = readAll(index);
        int count = entries.limit() / OffsetIndexLayout.ENTRY_SIZE;
        int bad = 0;
        int used = 0;
        long previousOffset = -1;
        long previousPosition = -1;
        for (int i = 0; i < count; i++) {
            int relative = entries.getInt((int) OffsetIndexLayout.relativeOffsetAt(i));
            int position = entries.getInt((int) OffsetIndexLayout.positionAt(i));
            if (relative == 0 && position == 0) {
                break;
            }
            used++;
            long offset = segmentBaseOffset + relative;
            Long batchAt = log.baseOffsetByPosition.get((long) position);
            String problem = null;
            if (offset <= previousOffset || position <= previousPosition) {
                problem = "not after the previous entry (offset " + previousOffset + ", position " + previousPosition + ")";
            } else if (batchAt == null) {
                problem = "no valid batch starts at position " + position;
            } else if (batchAt != offset) {
                problem = "the batch at position " + position + " starts at offset " + batchAt;
            }
            if (problem != null) {
                bad++;
                out.println("BAD " + index + " entry " + i + ": offset " + offset + " -> position " + position + ": "
                        + problem);
            }
            previousOffset = offset;
            previousPosition = position;
        }
        report(index, used, bad);
        return bad;
    }

    /** Returns the number of bad entries found in the time index. */
    int checkTimeIndex(Path index, long segmentBaseOffset, SegmentDump.Result log) throws IOException {
        ByteBuffer entries = readAll(index);
        int count = entries.limit() / TimeIndexLayout.ENTRY_SIZE;
        int bad = 0;
        int used = 0;
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = -1;
        for (int i = 0; i < count; i++) {
            long timestamp = entries.getLong((int) TimeIndexLayout.timestampAt(i));
            int relative = entries.getInt((int) TimeIndexLayout.relativeOffsetAt(i));
            if (timestamp == 0 && relative == 0) {
                break;
            }
            used++;
            long offset = segmentBaseOffset + relative;
            Long maxTimestamp = log.maxTimestampByBaseOffset.get(offset);
            String problem = null;
            if (timestamp <= previousTimestamp || offset < previousOffset) {
                problem = "not after the previous entry (timestamp " + previousTimestamp + ", offset " + previousOffset
                        + ")";
            } else if (maxTimestamp == null) {
                problem = "no valid batch starts at offset " + offset;
            } else if (maxTimestamp != timestamp) {
                problem = "the batch at offset " + offset + " has max timestamp " + maxTimestamp;
            }
            if (problem != null) {
                bad++;
                out.println("BAD " + index + " entry " + i + ": timestamp " + timestamp + " -> offset " + offset + ": "
                        + problem);
            }
            previousTimestamp = timestamp;
            previousOffset = offset;
        }
        report(index, used, bad);
        return bad;
    }

    private void report(Path index, int used, int bad) {
        out.println((bad == 0 ? "OK " : "CORRUPT ") + index + ": " + used + (used == 1 ? " entry" : " entries")
                + (bad == 0 ? (used == 1 ? " matches" : " match") + " the log"
                        : ", " + bad + (bad == 1 ? " does not match" : " do not match") + " the log"));
        out.flush();
    }

    private static ByteBuffer readAll(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IOException(file + " is too large to be an index");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
            long at = 0;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            return buffer.flip();
        }
    }
}

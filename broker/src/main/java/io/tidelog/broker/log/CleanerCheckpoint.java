package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cleaner has done to one partition log, in {@code <partition dir>/cleaner-checkpoint}
 * (a {@link CheckpointFile}: written atomically). Entries, one per line:
 *
 * <table>
 *   <caption>cleaner-checkpoint entries</caption>
 *   <tr><th>entry</th><th>meaning</th></tr>
 *   <tr><td>{@code firstDirtyOffset <offset>}</td><td>below it every key's records were deduplicated by
 *       the last completed cleaning: the dirty section starts here</td></tr>
 *   <tr><td>{@code compactedBelow <offset>}</td><td>batches starting at or below it may follow a gap
 *       and hold fewer records than they cover: recovery accepts that there</td></tr>
 *   <tr><td>{@code cleaned <offset> <timeMs>}</td><td>at {@code timeMs} the cleaner had cleaned
 *       everything below {@code offset}; tombstones below the offset of the newest entry at least
 *       delete.retention.ms old are removed. At most {@link #MAX_HISTORY} entries.</td></tr>
 *   <tr><td>{@code swap <base> <end>}</td><td>only while a swap is in progress: the segment
 *       {@code <base>.log.cleaned} (or, once renamed, {@code <base>.log}) replaces every segment
 *       with a base offset in [base, end). Its presence is the swap's commit point.</td></tr>
 * </table>
 *
 * <p>Invariants: firstDirtyOffset &lt;= compactedBelow is not required (compactedBelow only grows,
 * firstDirtyOffset may be reset below the log start offset by retention); history offsets and
 * times increase. Immutable.
 */
public record CleanerCheckpoint(long firstDirtyOffset, long compactedBelow, List<long[]> history, long swapBase,
                                long swapEnd) {

    public static final String FILE_NAME = "cleaner-checkpoint";
    static final int MAX_HISTORY = 16;
    static final CleanerCheckpoint NONE = new CleanerCheckpoint(0, 0, List.of(), -1, -1);

    public CleanerCheckpoint {
        history = List.copyOf(history);
    }

    /** True while the file names a swap that recovery must finish. */
    public boolean swapInProgress() {
        return swapBase >= 0;
    }

    /** Reads the partition's checkpoint; {@link #NONE} if the log was never cleaned. */
    static CleanerCheckpoint read(Path partitionDir) throws IOException {
        CheckpointFile file = new CheckpointFile(partitionDir.resolve(FILE_NAME));
        List<String> entries = file.read();
        if (entries.isEmpty()) {
            return NONE;
        }
        long firstDirty = 0;
        long compactedBelow = 0;
        long swapBase = -1;
        long swapEnd = -1;
        List<long[]> history = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.trim().split("\\s+");
            try {
                switch (parts[0]) {
                    case "firstDirtyOffset" -> firstDirty = Long.parseLong(parts[1]);
                    case "compactedBelow" -> compactedBelow = Long.parseLong(parts[1]);
                    case "cleaned" -> history.add(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
                    case "swap" -> {
                        swapBase = Long.parseLong(parts[1]);
                        swapEnd = Long.parseLong(parts[2]);
                    }
                    default -> throw new IOException("Unknown entry '" + entry + "' in " + file.path());
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IOException("Malformed entry '" + entry + "' in " + file.path(), e);
            }
        }
        return new CleanerCheckpoint(firstDirty, compactedBelow, history, swapBase, swapEnd);
    }

    /** Writes this checkpoint atomically (fsyncs file and directory). */
    void write(Path partitionDir) throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add("firstDirtyOffset " + firstDirtyOffset);
        entries.add("compactedBelow " + compactedBelow);
        for (long[] cleaned : history) {
            entries.add("cleaned " + cleaned[0] + " " + cleaned[1]);
        }
        if (swapInProgress()) {
            entries.add("swap " + swapBase + " " + swapEnd);
        }
        new CheckpointFile(partitionDir.resolve(FILE_NAME)).write(entries);
    }

    /** The commit record of replacing the segments in [base, end) by one cleaned segment. */
    CleanerCheckpoint withSwap(long base, long end) {
        return new CleanerCheckpoint(firstDirtyOffset, Math.max(compactedBelow, end), history, base, end);
    }

    /** After a truncation to {@code offset}: what is appended from there on is dirty. */
    CleanerCheckpoint withFirstDirtyAtMost(long offset) {
        if (firstDirtyOffset <= offset) {
            return this;
        }
        List<long[]> clamped = new ArrayList<>();
        for (long[] cleaned : history) {
            clamped.add(new long[] {Math.min(cleaned[0], offset), cleaned[1]});
        }
        return new CleanerCheckpoint(offset, compactedBelow, clamped, swapBase, swapEnd);
    }

    CleanerCheckpoint withoutSwap() {
        return new CleanerCheckpoint(firstDirtyOffset, compactedBelow, history, -1, -1);
    }

    /**
     * After a completed cleaning of everything below {@code cleanedTo} at {@code nowMs}. The
     * history stays short: a cleaning less than {@code deleteRetentionMs / MAX_HISTORY} after the
     * last recorded one is not recorded, so its tombstones count as cleaned past at the next
     * recorded cleaning, which only delays (never hastens) their removal.
     */
    CleanerCheckpoint afterCleaning(long cleanedTo, long nowMs, long deleteRetentionMs) {
        List<long[]> next = new ArrayList<>(history);
        long spacing = deleteRetentionMs / MAX_HISTORY;
        if (next.isEmpty() || nowMs - next.get(next.size() - 1)[1] >= spacing) {
            next.add(new long[] {cleanedTo, nowMs});
        }
        while (next.size() > MAX_HISTORY) {
            next.remove(0);
        }
        long oldest = tombstoneHorizon(next, nowMs, deleteRetentionMs);
        while (next.size() > 1 && next.get(1)[0] <= oldest && next.get(1)[1] <= nowMs - deleteRetentionMs) {
            next.remove(0);
        }
        return new CleanerCheckpoint(cleanedTo, Math.max(compactedBelow, cleanedTo), next, -1, -1);
    }

    /**
     * Tombstones at offsets below the returned one were cleaned past at least
     * {@code deleteRetentionMs} ago and may be removed.
     */
    long tombstoneHorizon(long nowMs, long deleteRetentionMs) {
        return tombstoneHorizon(history, nowMs, deleteRetentionMs);
    }

    private static long tombstoneHorizon(List<long[]> history, long nowMs, long deleteRetentionMs) {
        long horizon = 0;
        for (long[] cleaned : history) {
            if (nowMs - cleaned[1] >= deleteRetentionMs) {
                horizon = Math.max(horizon, cleaned[0]);
            }
        }
        return horizon;
    }
}

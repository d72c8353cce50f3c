package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The generation clock of one partition: leader epoch → the first offset written in that epoch.
 *
 * <p>Invariants: entries are strictly increasing in both epoch and start offset; every start
 * offset lies in [logStartOffset, logEndOffset] of the log it describes (truncation from either
 * end keeps this true). The file {@code leader-epoch-checkpoint} holds the entries as of the last
 * {@link #flush()}; the log flushes this cache before it advances its recovery point, so every
 * epoch below the recovery point is on disk. Entries above it may be lost by a crash and are
 * re-learned by recovery from the batches' partitionLeaderEpoch.
 *
 * <p>Threading: mutated by the partition's owner thread; {@link #endOffsetFor} and
 * {@link #latestEpoch()} may be called from any thread. Mutations are rare (leader changes,
 * truncation), so a monitor is enough; {@link #latestEpoch()} is a volatile read for the append path.
 */
public final class LeaderEpochCache {

    public static final String FILE_NAME = "leader-epoch-checkpoint";

    private final CheckpointFile checkpoint;
    private final List<EpochEntry> entries = new ArrayList<>();
    private volatile int latestEpoch = EpochEndOffset.UNDEFINED_EPOCH;
    private boolean dirty;

    /** One (epoch, startOffset) pair. */
    public record EpochEntry(int epoch, long startOffset) {
    }

    private LeaderEpochCache(Path file) {
        this.checkpoint = new CheckpointFile(file);
    }

    /** Loads {@code dir/leader-epoch-checkpoint}; a missing file is an empty cache. */
    public static LeaderEpochCache load(Path dir) throws IOException {
        LeaderEpochCache cache = new LeaderEpochCache(dir.resolve(FILE_NAME));
        cache.checkpoint.deleteStaleTemp();
        for (String line : cache.checkpoint.read()) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) {
                throw new IOException("Malformed entry '" + line + "' in " + cache.checkpoint.path());
            }
            try {
                cache.assign(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                throw new IOException("Malformed entry '" + line + "' in " + cache.checkpoint.path(), e);
            }
        }
        cache.dirty = false;
        return cache;
    }

    /** The latest epoch, or {@link EpochEndOffset#UNDEFINED_EPOCH}. Lock-free. */
    public int latestEpoch() {
        return latestEpoch;
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}. A repeat of the latest epoch is a
     * no-op. Entries that would break monotonicity (epoch or start offset not below the new one)
     * are dropped first, so a follower adopting a leader's history stays consistent.
     */
    public synchronized void assign(int epoch, long startOffset) {
        if (epoch < 0) {
            return;
        }
        if (!entries.isEmpty()) {
            EpochEntry last = entries.get(entries.size() - 1);
            if (last.epoch == epoch && last.startOffset <= startOffset) {
                return;
            }
        }
        entries.removeIf(e -> e.epoch >= epoch || e.startOffset >= startOffset);
        entries.add(new EpochEntry(epoch, startOffset));
        publishLatest();
        dirty = true;
    }

    /** Removes entries starting at or after {@code endOffset} (the log was truncated to it). */
    public synchronized void truncateFromEnd(long endOffset) {
        if (entries.removeIf(e -> e.startOffset >= endOffset)) {
            publishLatest();
            dirty = true;
        }
    }

    /**
     * The log now starts at {@code startOffset}: entries wholly below it go, and the entry covering
     * it is moved up to start there.
     */
    public synchronized void truncateFromStart(long startOffset) {
        int covering = -1;
        for (int i = 0; i < entries.size() && entries.get(i).startOffset <= startOffset; i++) {
            covering = i;
        }
        if (covering < 0 || (covering == 0 && entries.get(0).startOffset == startOffset)) {
            return;
        }
        EpochEntry kept = new EpochEntry(entries.get(covering).epoch, startOffset);
        entries.subList(0, covering + 1).clear();
        entries.add(0, kept);
        dirty = true;
    }

    /**
     * OffsetForLeaderEpoch semantics: for the latest epoch, (epoch, logEndOffset); for an older
     * known epoch, (largest epoch {@code <=} requested, start offset of the next higher epoch); for
     * an epoch below the first entry, (requested, first start offset); otherwise UNKNOWN.
     */
    public synchronized EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch < 0 || entries.isEmpty()) {
            return EpochEndOffset.UNKNOWN;
        }
        EpochEntry last = entries.get(entries.size() - 1);
        if (requestedEpoch == last.epoch) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        EpochEntry floor = null;
        for (EpochEntry entry : entries) {
            if (entry.epoch > requestedEpoch) {
                return floor == null
                        ? new EpochEndOffset(requestedEpoch, entry.startOffset)
                        : new EpochEndOffset(floor.epoch, entry.startOffset);
            }
            floor = entry;
        }
        return EpochEndOffset.UNKNOWN;
    }

    /** A snapshot of the entries, oldest first. */
    public synchronized List<EpochEntry> entries() {
        return List.copyOf(entries);
    }

    /** Writes the checkpoint if anything changed since the last write. Blocking (fsync). */
    public void flush() throws IOException {
        synchronized (checkpoint) {
            writeIfDirty();
        }
    }

    private void writeIfDirty() throws IOException {
        List<String> lines;
        synchronized (this) {
            if (!dirty) {
                return;
            }
            lines = new ArrayList<>(entries.size());
            for (EpochEntry e : entries) {
                lines.add(e.epoch + " " + e.startOffset);
            }
            dirty = false;
        }
        try {
            checkpoint.write(lines);
        } catch (IOException e) {
            synchronized (this) {
                dirty = true;
            }
            throw e;
        }
    }

    public Path path() {
        return checkpoint.path();
    }

    private void publishLatest() {
        latestEpoch = entries.isEmpty() ? EpochEndOffset.UNDEFINED_EPOCH : entries.get(entries.size() - 1).epoch;
    }
}

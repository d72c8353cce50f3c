package io.tidelog.broker.log;

import io.tidelog.broker.Time;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of one partition directory at startup and, after a crash, recovers them.
 *
 * <p>What it guarantees on return: the segments are contiguous in offsets (except for gaps the
 * cleaner left: at or below the checkpoint's compactedBelow, or anywhere in a compacted topic,
 * whose followers copy their leader's gaps); a cleaner swap interrupted by a crash was finished
 * if it had committed and undone otherwise ({@link #finishInterruptedSwap}); every segment from
 * the one holding the recovery point onwards (all of them after an unclean shutdown without a
 * checkpoint) was scanned batch by batch (length bounds, magic, CRC-32C, record count, offsets)
 * and cut at the first invalid batch, with everything after it removed; every index that was
 * missing or failed its sanity check was rebuilt from its segment; leftovers ({@code *.deleted},
 * orphan indexes, temp files) are gone. The last segment is not yet mapped.
 */
final class LogLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    private final Path dir;
    private final LogConfig config;
    private final Time time;

    /** Segments opened, and what recovery did. */
    record Loaded(List<LogSegment> segments, int segmentsScanned, long bytesTruncated, int segmentsRemoved) {
    }

    LogLoader(Path dir, LogConfig config, Time time) {
        this.dir = dir;
        this.config = config;
        this.time = time;
    }

    Loaded load(long recoveryPoint, boolean cleanShutdown, LeaderEpochCache epochs, CleanerCheckpoint cleaner)
            throws IOException {
        long gapsAllowedBelow = config.compact() ? Long.MAX_VALUE : cleaner.compactedBelow();
        List<Long> bases = listSegmentsAndRemoveLeftovers();
        int recoverFrom = cleanShutdown ? bases.size() : floorIndex(bases, recoveryPoint);
        if (recoverFrom < bases.size()) {
            epochs.truncateFromEnd(bases.get(recoverFrom));
        }
        List<LogSegment> segments = new ArrayList<>(bases.size());
        int scanned = 0;
        long truncated = 0;
        int removed = 0;
        try {
            for (int i = 0; i < bases.size(); i++) {
                LogSegment segment = LogSegment.open(dir, bases.get(i), config, time);
                segment.allowGapsBelow(gapsAllowedBelow);
                LogSegment previous = segments.isEmpty() ? null : segments.get(segments.size() - 1);
                boolean gap = previous != null && previous.nextOffset() < segment.baseOffset()
                        && segment.baseOffset() <= gapsAllowedBelow;
                if (previous != null && previous.nextOffset() != segment.baseOffset() && !gap) {
                    segment.closeQuietly();
                    removed += removeSegmentFiles(bases.subList(i, bases.size()));
                    break;
                }
                segments.add(segment);
                LogSegment.Recovery recovery = null;
                if (i >= recoverFrom) {
                    recovery = segment.recover(epochs);
                } else {
                    try {
                        segment.loadIndexes();
                    } catch (CorruptIndexException e) {
                        LOG.warn("Rebuilding index of {}: {}", segment.logPath(), e.getMessage());
                        recovery = segment.recover(null);
                    }
                }
                if (recovery != null) {
                    scanned++;
                    truncated += recovery.truncatedBytes();
                    if (recovery.truncated() && i + 1 < bases.size()) {
                        removed += removeSegmentFiles(bases.subList(i + 1, bases.size()));
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            segments.forEach(LogSegment::closeQuietly);
            throw e;
        }
        return new Loaded(segments, scanned, truncated, removed);
    }

    /**
     * Completes or discards a cleaner swap a crash interrupted, so that every offset is held by
     * exactly one segment. Without a {@code swap} entry nothing was committed: leftover
     * {@code *.cleaned} files go and the old segments stay. With one, the cleaned segment was
     * complete and fsynced before the entry was written: the replaced segments' files in
     * [base, end) go (whatever their names by now), the cleaned log takes its final name if it
     * has not yet, its indexes are dropped (rebuilt by the scan), and the entry is removed.
     *
     * @return the checkpoint with no swap in progress
     */
    CleanerCheckpoint finishInterruptedSwap(CleanerCheckpoint checkpoint) throws IOException {
        if (!checkpoint.swapInProgress()) {
            deleteMatching(name -> name.endsWith(LogSegment.CLEANED_SUFFIX));
            return checkpoint;
        }
        long base = checkpoint.swapBase();
        long end = checkpoint.swapEnd();
        Path cleanedLog = dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX) + LogSegment.CLEANED_SUFFIX);
        Path finalLog = dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX));
        boolean logRenamed = !Files.exists(cleanedLog);
        if (logRenamed && !Files.exists(finalLog)) {
            throw new IOException("Cleaner swap of " + dir + " from offset " + base + " committed but neither "
                    + cleanedLog.getFileName() + " nor " + finalLog.getFileName() + " exists");
        }
        deleteMatching(name -> {
            long segmentBase = segmentBaseOf(name);
            boolean replaced = segmentBase >= base && segmentBase < end && (segmentBase != base || !logRenamed);
            boolean baseIndex = segmentBase == base && !name.endsWith(LogSegment.LOG_SUFFIX);
            return name.endsWith(LogSegment.CLEANED_SUFFIX) ? !name.endsWith(LogSegment.LOG_SUFFIX
                    + LogSegment.CLEANED_SUFFIX) : replaced || baseIndex;
        });
        if (!logRenamed) {
            Files.move(cleanedLog, finalLog, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        CheckpointFile.fsyncDirectory(dir);
        CleanerCheckpoint done = checkpoint.withoutSwap();
        done.write(dir);
        LOG.info("Finished an interrupted cleaner swap in {}: segments [{}, {}) replaced by the cleaned segment",
                dir, base, end);
        return done;
    }

    /** The base offset a segment file name starts with, or -1 for other files. */
    private static long segmentBaseOf(String name) {
        if (name.length() < 21 || name.charAt(20) != '.') {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void deleteMatching(java.util.function.Predicate<String> doomed) throws IOException {
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path path : entries) {
                if (segmentBaseOf(path.getFileName().toString()) >= 0 && doomed.test(path.getFileName().toString())) {
                    matches.add(path);
                }
            }
        }
        for (Path path : matches) {
            Files.deleteIfExists(path);
        }
    }

    private static int floorIndex(List<Long> bases, long offset) {
        int index = 0;
        for (int i = 0; i < bases.size(); i++) {
            if (bases.get(i) <= offset) {
                index = i;
            }
        }
        return index;
    }

    private int removeSegmentFiles(List<Long> bases) throws IOException {
        for (long base : bases) {
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX)));
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX)));
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX)));
        }
        return bases.size();
    }

    /**
     * Base offsets of the {@code .log} files, ascending; removes {@code *.deleted} files, temp
     * files and indexes without a log.
     *
     * @throws IOException naming the directory when it cannot be listed
     */
    private List<Long> listSegmentsAndRemoveLeftovers() throws IOException {
        List<Long> bases = new ArrayList<>();
        List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path path : entries) {
                String name = path.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")) {
                    Files.deleteIfExists(path);
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    bases.add(parseBaseOffset(path, name, LogSegment.LOG_SUFFIX));
                } else if (name.endsWith(LogSegment.INDEX_SUFFIX) || name.endsWith(LogSegment.TIME_INDEX_SUFFIX)) {
                    indexes.add(path);
                }
            }
        } catch (IOException e) {
            throw new IOException("Cannot read partition directory " + dir + ": " + e, e);
        }
        bases.sort(null);
        for (Path index : indexes) {
            String name = index.getFileName().toString();
            String suffix = name.endsWith(LogSegment.INDEX_SUFFIX) ? LogSegment.INDEX_SUFFIX : LogSegment.TIME_INDEX_SUFFIX;
            if (!bases.contains(parseBaseOffset(index, name, suffix))) {
                Files.deleteIfExists(index);
            }
        }
        return bases;
    }

    private static long parseBaseOffset(Path path, String name, String suffix) throws IOException {
        String digits = name.substring(0, name.length() - suffix.length());
        try {
            long base = Long.parseLong(digits);
            if (digits.length() != 20 || base < 0) {
                throw new NumberFormatException(digits);
            }
            return base;
        } catch (NumberFormatException e) {
            throw new IOException("Unexpected file " + path + " in a partition directory: the name must be a "
                    + "20-digit base offset followed by " + suffix, e);
        }
    }
}

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
 * <p>What it guarantees on return: the segments are contiguous in offsets; every segment from
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

    Loaded load(long recoveryPoint, boolean cleanShutdown, LeaderEpochCache epochs) throws IOException {
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
                LogSegment previous = segments.isEmpty() ? null : segments.get(segments.size() - 1);
                if (previous != null && previous.nextOffset() != segment.baseOffset()) {
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

package io.tidelog.broker.log;

import io.tidelog.broker.Time;
import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cleaning of one compacted partition log (Kafka's log compaction), run by a cleaner thread.
 *
 * <p>The log below the active segment has a <b>clean</b> section [logStartOffset, firstDirtyOffset),
 * where each key appears at most once, and a <b>dirty</b> section [firstDirtyOffset, end), where
 * {@code end} is the base of the active segment or of the first segment with a record younger
 * than {@code min.compaction.lag.ms}. A cleaning:
 * <ol>
 *   <li>builds an {@link OffsetMap} key → latest offset over the dirty section (stopping at a
 *       segment boundary if the map fills, which then becomes {@code end});</li>
 *   <li>rewrites every segment below {@code end}, in groups of consecutive segments that fit one
 *       segment, keeping for each key only its latest record ({@link BatchCompactor}); offsets
 *       are preserved, so a compacted log has gaps;</li>
 *   <li>swaps each group's {@code *.cleaned} segment in ({@link PartitionLog#swapInCleaned});</li>
 *   <li>records {@code end} as the new first dirty offset and, for tombstones, when it was
 *       cleaned past ({@link CleanerCheckpoint}).</li>
 * </ol>
 * Appends, reads and retention go on meanwhile; if retention or truncation removes a segment of
 * the group being rewritten, that group's output is dropped and the cleaning stops early.
 *
 * <p>Not thread-safe: one per cleaner thread (it owns the offset map's memory).
 */
public final class LogCompactor {

    private static final Logger LOG = LoggerFactory.getLogger(LogCompactor.class);

    private final long dedupeBufferBytes;
    private final Time time;
    private final BatchCompactor batches = new BatchCompactor();
    private final RecordCursor cursor = new RecordCursor();
    private OffsetMap map;

    /** What one cleaning did. */
    public record Result(long firstDirtyOffset, long cleanedTo, int segmentsBefore, int segmentsAfter, long bytesRead,
                         long bytesWritten, long recordsRemoved, long elapsedNanos) {
    }

    /** The cleanable part of a log: dirty section [firstDirtyOffset, end), and byte counts. */
    public record Cleanable(long firstDirtyOffset, long end, long cleanBytes, long dirtyBytes) {
        /** dirty / (clean + dirty); 0 when there is nothing below {@code end}. */
        public double dirtyRatio() {
            long total = cleanBytes + dirtyBytes;
            return total == 0 ? 0 : (double) dirtyBytes / total;
        }
    }

    /** @param dedupeBufferBytes memory of this compactor's offset map (allocated on first use) */
    public LogCompactor(long dedupeBufferBytes, Time time) {
        this.dedupeBufferBytes = dedupeBufferBytes;
        this.time = time;
    }

    /** The clean and dirty sections of {@code log} now. Any thread. */
    public static Cleanable cleanable(PartitionLog log, long nowMs) {
        LogConfig config = log.config();
        long logStart = log.logStartOffset();
        long activeBase = log.activeSegmentBaseOffset();
        long firstDirty = Math.max(log.cleanerCheckpoint().firstDirtyOffset(), logStart);
        long end = activeBase;
        long cleanBytes = 0;
        long dirtyBytes = 0;
        for (LogSegment segment : log.segments()) {
            if (segment.baseOffset() >= activeBase) {
                break;
            }
            if (segment.baseOffset() < firstDirty && segment.nextOffset() > firstDirty) {
                // The dirty section starts at a segment boundary (DeleteRecords may have moved the
                // log start offset inside a segment): the whole segment is mapped.
                firstDirty = segment.baseOffset();
            }
            boolean dirty = segment.baseOffset() >= firstDirty;
            if (dirty && segment.maxTimestamp() > nowMs - config.minCompactionLagMs()) {
                end = segment.baseOffset();
                break;
            }
            if (dirty) {
                dirtyBytes += segment.size();
            } else {
                cleanBytes += segment.size();
            }
        }
        return new Cleanable(Math.min(firstDirty, end), end, cleanBytes, dirtyBytes);
    }

    /**
     * Cleans {@code log} once if it is compacted and has a dirty section (or, with
     * {@code evenIfClean}, rewrites the clean section anyway, e.g. to drop expired tombstones).
     *
     * @return what was done, or null if nothing was cleanable
     * @throws IOException on an I/O error; the log is unchanged but for completed groups, and
     *                     leftover {@code *.cleaned} files are removed
     */
    public Result clean(PartitionLog log, boolean evenIfClean, CleanerStep.Hook hook) throws IOException {
        LogConfig config = log.config();
        if (!config.compact()) {
            return null;
        }
        long startNanos = time.nanoseconds();
        long firstDirtyBefore = log.cleanerCheckpoint().firstDirtyOffset();
        Cleanable cleanable = cleanable(log, time.milliseconds());
        if (cleanable.dirtyBytes() == 0 && !evenIfClean) {
            return null;
        }
        List<LogSegment> below = segmentsBelow(log, cleanable.end());
        if (below.isEmpty()) {
            return null;
        }
        Map<Long, Long> producerLastOffsets = new HashMap<>();
        long end = buildOffsetMap(below, cleanable, producerLastOffsets);
        hook.reached(CleanerStep.OFFSET_MAP_BUILT);
        CleanerCheckpoint checkpoint = log.cleanerCheckpoint();
        long horizon = checkpoint.tombstoneHorizon(time.milliseconds(), config.deleteRetentionMs());
        batches.resetStats();
        long[] bytes = new long[2];
        int segmentsBefore = 0;
        int segmentsAfter = 0;
        for (List<LogSegment> group : groups(segmentsBelow(log, end), config)) {
            long groupEnd = endOf(log, group, end);
            segmentsBefore += group.size();
            if (!cleanGroup(log, group, groupEnd, cleanable.firstDirtyOffset(), horizon, producerLastOffsets, bytes, hook)) {
                LOG.info("Cleaning of {} stopped early: its segments changed while it was cleaned", log.dir());
                return null;
            }
            segmentsAfter++;
        }
        long now = time.milliseconds();
        // A truncation meanwhile lowered the first dirty offset: what it let be appended is dirty.
        log.updateCleanerCheckpoint(current -> current.afterCleaning(current.firstDirtyOffset() < firstDirtyBefore
                ? Math.min(end, current.firstDirtyOffset()) : end, now, config.deleteRetentionMs()));
        hook.reached(CleanerStep.CHECKPOINT_WRITTEN);
        Result result = new Result(cleanable.firstDirtyOffset(), end, segmentsBefore, segmentsAfter, bytes[0], bytes[1],
                batches.recordsRemoved(), time.nanoseconds() - startNanos);
        LOG.info("Cleaned {} below offset {}: {} segments ({} bytes) became {} ({} bytes), {} records removed, {} ms",
                log.dir(), end, segmentsBefore, bytes[0], segmentsAfter, bytes[1], result.recordsRemoved(),
                result.elapsedNanos() / 1_000_000);
        return result;
    }

    private static List<LogSegment> segmentsBelow(PartitionLog log, long end) {
        List<LogSegment> below = new ArrayList<>();
        for (LogSegment segment : log.segments()) {
            if (segment.baseOffset() >= end || segment.isActive()) {
                break;
            }
            below.add(segment);
        }
        return below;
    }

    /**
     * Puts every keyed record of the dirty segments into the map and notes each producer's last
     * batch there. Returns the end of the dirty section actually mapped: the base of the first
     * segment that did not fit.
     */
    private long buildOffsetMap(List<LogSegment> below, Cleanable cleanable, Map<Long, Long> producerLastOffsets)
            throws IOException {
        if (map == null) {
            map = new OffsetMap(dedupeBufferBytes);
        }
        map.clear();
        long end = cleanable.end();
        for (LogSegment segment : below) {
            if (segment.baseOffset() < cleanable.firstDirtyOffset()) {
                continue;
            }
            if (!mapSegment(segment, producerLastOffsets)) {
                if (segment.baseOffset() <= cleanable.firstDirtyOffset()) {
                    throw new IOException("log.cleaner.dedupe.buffer.size (" + dedupeBufferBytes + " bytes) holds "
                            + map.size() + " keys, fewer than segment " + segment.logPath() + " has: raise it");
                }
                end = segment.baseOffset();
                break;
            }
        }
        return end;
    }

    private boolean mapSegment(LogSegment segment, Map<Long, Long> producerLastOffsets) throws IOException {
        if (!segment.tryRetain()) {
            throw new IOException("segment " + segment.logPath() + " was deleted while the cleaner mapped it");
        }
        try {
            BatchScanner scanner = segment.scanner(segment.baseOffset()).compactedBelow(Long.MAX_VALUE);
            BatchValidation validation;
            while ((validation = scanner.next(true)) == BatchValidation.VALID) {
                RecordBatch batch = scanner.batch();
                if (batch.producerId() >= 0) {
                    producerLastOffsets.put(batch.producerId(), batch.lastOffset());
                }
                if (!mapBatch(batch)) {
                    return false;
                }
            }
            if (validation != null) {
                throw new IOException("segment " + segment.logPath() + " has an invalid batch at byte "
                        + scanner.position() + " (" + validation + "); the cleaner leaves this log alone");
            }
            return true;
        } finally {
            segment.release();
        }
    }

    private boolean mapBatch(RecordBatch batch) {
        ByteBuffer section = CompactedBatches.recordsSection(batch);
        cursor.reset(section, section.position(), section.limit(), batch.recordsCount());
        long base = batch.baseOffset();
        ByteBuffer key = section.duplicate();
        while (cursor.next()) {
            if (cursor.keyLength() < 0) {
                continue;
            }
            key.clear().position(cursor.keyPosition()).limit(cursor.keyPosition() + cursor.keyLength());
            if (!map.put(key, base + cursor.offsetDelta())) {
                return false;
            }
        }
        return true;
    }

    /** Consecutive segments whose total size fits one segment and whose offsets fit its index. */
    private static List<List<LogSegment>> groups(List<LogSegment> segments, LogConfig config) {
        List<List<LogSegment>> groups = new ArrayList<>();
        List<LogSegment> current = new ArrayList<>();
        long size = 0;
        for (LogSegment segment : segments) {
            boolean fits = current.isEmpty() || (size + segment.size() <= config.segmentBytes()
                    && segment.nextOffset() - 1 - current.get(0).baseOffset() <= Integer.MAX_VALUE);
            if (!fits) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(segment);
            size += segment.size();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** The base offset of the segment after the group (the group covers [its base, that)). */
    private static long endOf(PartitionLog log, List<LogSegment> group, long end) {
        long last = group.get(group.size() - 1).baseOffset();
        for (LogSegment segment : log.segments()) {
            if (segment.baseOffset() > last) {
                return segment.baseOffset();
            }
        }
        return end;
    }

    private boolean cleanGroup(PartitionLog log, List<LogSegment> group, long groupEnd, long firstDirty, long horizon,
                               Map<Long, Long> producerLastOffsets, long[] bytes, CleanerStep.Hook hook)
            throws IOException {
        LogSegment cleaned = LogSegment.createCleaned(log.dir(), group.get(0).baseOffset(), log.config(), time);
        boolean swapped = false;
        try {
            long logStart = log.logStartOffset();
            for (LogSegment segment : group) {
                bytes[0] += segment.size();
                if (!copySurvivors(segment, cleaned, logStart, firstDirty, horizon, producerLastOffsets, hook)) {
                    cleaned.abandonCleaned();
                    return false;
                }
            }
            cleaned.finishCleaned();
            hook.reached(CleanerStep.CLEANED_SEGMENT_WRITTEN);
            swapped = log.swapInCleaned(group, cleaned, groupEnd, hook);
        } catch (IOException e) {
            // Before the commit the old segments are intact: drop the output. After it (an I/O
            // error mid-swap) the files are what recovery completes at the next start.
            if (log.cleanerCheckpoint().swapInProgress()) {
                cleaned.closeQuietly();
            } else {
                cleaned.abandonCleaned();
            }
            throw e;
        } catch (RuntimeException e) {
            // A bug or a simulated crash: release the files but leave the disk as it is.
            cleaned.closeQuietly();
            throw e;
        }
        if (!swapped) {
            cleaned.abandonCleaned();
            return false;
        }
        bytes[1] += cleaned.size();
        log.finishSwap();
        hook.reached(CleanerStep.SWAP_FINISHED);
        return true;
    }

    private boolean copySurvivors(LogSegment segment, LogSegment cleaned, long logStart, long firstDirty, long horizon,
                                  Map<Long, Long> producerLastOffsets, CleanerStep.Hook hook) throws IOException {
        if (!segment.tryRetain()) {
            return false;
        }
        try {
            BatchScanner scanner = segment.scanner(segment.baseOffset()).compactedBelow(Long.MAX_VALUE);
            BatchValidation validation;
            while ((validation = scanner.next(true)) == BatchValidation.VALID) {
                RecordBatch batch = scanner.batch();
                if (batch.nextOffset() <= logStart) {
                    continue;
                }
                boolean retainEmpty = retainEmpty(batch, firstDirty, producerLastOffsets);
                switch (batches.filter(batch, map, horizon, retainEmpty)) {
                    case KEEP -> cleaned.appendCleaned(batch.slice(), batch.baseOffset(), batch.lastOffset(),
                            batch.maxTimestamp());
                    case REWRITTEN -> cleaned.appendCleaned(batches.rewritten(), batch.baseOffset(), batch.lastOffset(),
                            batch.maxTimestamp());
                    case DROP -> {
                        continue;
                    }
                }
                hook.reached(CleanerStep.CLEANED_BATCH_WRITTEN);
            }
            if (validation != null) {
                throw new IOException("segment " + segment.logPath() + " has an invalid batch at byte "
                        + scanner.position() + " (" + validation + "); the cleaner leaves this log alone");
            }
            return true;
        } finally {
            segment.release();
        }
    }

    /**
     * An idempotent producer's last batch stays, even emptied, so its sequence state survives a
     * reload: in the dirty section the last batch of each producer there; in the clean section
     * every batch of a producer not seen in the dirty section (earlier cleanings already kept
     * only the last one).
     */
    private static boolean retainEmpty(RecordBatch batch, long firstDirty, Map<Long, Long> producerLastOffsets) {
        long producerId = batch.producerId();
        if (producerId < 0) {
            return false;
        }
        Long last = producerLastOffsets.get(producerId);
        return last == null ? batch.baseOffset() < firstDirty : last == batch.lastOffset();
    }
}

package io.tidelog.broker.log;

import io.tidelog.broker.Time;
import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.Record;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of one partition: an ordered set of {@link LogSegment}s, the log end offset
 * (LEO), the log start offset (the low-water mark), the recovery point and the leader-epoch cache.
 *
 * <p>Invariants: {@code logStartOffset <= logEndOffset}; segments are contiguous in offsets (but
 * for gaps the cleaner leaves in a compacted log: offsets only increase) and the last one is
 * active (mapped); the cleaner never touches the active segment; every batch in [logStartOffset, logEndOffset) is a whole, valid
 * batch v2 with its final baseOffset and partitionLeaderEpoch; {@code recoveryPoint <= logEndOffset}
 * and everything below it was fsynced together with the epoch checkpoint. LEO, log start offset
 * and recovery point only become visible after the bytes they cover are in place.
 *
 * <p>Threading contract:
 * <ul>
 *   <li><b>Owner</b> (one thread per partition): {@link #append}, {@link #appendAsFollower},
 *       {@link #roll}, {@link #truncateTo}, {@link #advanceLogStartOffset},
 *       {@link #deleteRetentionBreachedSegments}, {@link #close}. These are also serialised by the
 *       log's monitor, uncontended when the owner is the only caller, so a retention duty on
 *       another thread cannot corrupt state.</li>
 *   <li><b>Readers</b> (any thread, never lock): {@link #read}, {@link #offsetForTimestamp},
 *       {@link #forEachBatch}, {@link #logEndOffset()}, {@link #logStartOffset()}.</li>
 *   <li><b>Flusher</b> (one background thread, never an event loop): {@link #flush()},
 *       {@link #deleteRetiredSegmentFiles()}. {@link #flushNeeded(long)} is the cheap decision
 *       anyone may ask.</li>
 * </ul>
 * Nothing on the owner path fsyncs; roll and truncation create, map or trim files.
 *
 * <p>The cleaner ({@link LogCompactor}, a background thread) reads sealed segments like any
 * reader and writes its replacement segment without any lock. {@link #swapInCleaned} commits
 * (one small checkpoint write with two fsyncs) holding only the segment-removal lock, which
 * truncation, retention, log-start-offset moves and close also take (before the monitor), so
 * those may wait for it; appends never do. The swap proper (a handful of renames, two index
 * re-opens, the segment-map change) takes the monitor: an append may wait that long once per
 * swapped group, never for the cleaning or an fsync.
 */
public final class PartitionLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final Path dir;
    private final String name;
    private final Time time;
    private volatile LogConfig config;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
    private final LeaderEpochCache epochs;
    private final ConcurrentLinkedQueue<PendingDeletion> pendingDeletions = new ConcurrentLinkedQueue<>();
    private final Object flushLock = new Object();
    /**
     * Held by whatever removes segments other than by appending (truncation, retention, log start
     * offset moves, close) and by the cleaner's swap from its commit to its end, always taken
     * before the log's monitor. Appends never take it, so they never wait for the swap's fsyncs.
     */
    private final Object segmentRemoval = new Object();
    private final RecordBatch validator = new RecordBatch();
    private final RecordCursor cursor = new RecordCursor();
    private volatile CleanerCheckpoint cleanerCheckpoint = CleanerCheckpoint.NONE;
    private volatile LogSegment activeSegment;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile boolean closed;

    /** A segment renamed to *.deleted whose files go once the delay passed and readers released it. */
    private static final class PendingDeletion {
        final LogSegment segment;
        final long deleteAfterMs;
        boolean logReferenceReleased;

        PendingDeletion(LogSegment segment, long deleteAfterMs) {
            this.segment = segment;
            this.deleteAfterMs = deleteAfterMs;
        }
    }

    private PartitionLog(Path dir, LogConfig config, Time time, LeaderEpochCache epochs) {
        this.dir = dir;
        this.name = dir.getFileName().toString();
        this.config = config;
        this.time = time;
        this.epochs = epochs;
    }

    /**
     * Opens (and after a crash recovers) the log in {@code dir}, creating the directory's first
     * segment if it has none.
     *
     * @param recoveryPoint            from the recovery-point checkpoint (0 if unknown)
     * @param logStartOffsetCheckpoint from the log-start-offset checkpoint (0 if unknown)
     * @param cleanShutdown            the log dir's clean-shutdown marker was present: skip scanning
     * @throws IOException naming the directory when it cannot be read
     */
    public static PartitionLog open(Path dir, LogConfig config, Time time, long recoveryPoint,
                                    long logStartOffsetCheckpoint, boolean cleanShutdown) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("Partition directory " + dir + " does not exist or is not a directory");
        }
        long startNanos = time.nanoseconds();
        LeaderEpochCache epochs = LeaderEpochCache.load(dir);
        PartitionLog log = new PartitionLog(dir, config, time, epochs);
        LogLoader loader = new LogLoader(dir, config, time);
        log.cleanerCheckpoint = loader.finishInterruptedSwap(CleanerCheckpoint.read(dir));
        LogLoader.Loaded loaded = loader.load(recoveryPoint, cleanShutdown, epochs, log.cleanerCheckpoint);
        try {
            log.install(loaded.segments(), Math.max(0, logStartOffsetCheckpoint));
        } catch (IOException | RuntimeException e) {
            loaded.segments().forEach(LogSegment::closeQuietly);
            throw e;
        }
        log.cleanerCheckpoint = log.cleanerCheckpoint.withFirstDirtyAtMost(log.logEndOffset);
        log.recoveryPoint = cleanShutdown ? log.logEndOffset : Math.min(Math.max(0, recoveryPoint), log.logEndOffset);
        log.lastFlushMs = time.milliseconds();
        long millis = (time.nanoseconds() - startNanos) / 1_000_000;
        if (cleanShutdown) {
            LOG.debug("Loaded {} after a clean shutdown: {} segments, log end offset {}, {} ms", dir,
                    log.segments.size(), log.logEndOffset, millis);
        } else {
            LOG.info("Recovered {}: scanned {} segments from recovery point {}, truncated {} bytes, removed {} later "
                    + "segments, log start offset {}, log end offset {}, {} ms", dir, loaded.segmentsScanned(),
                    recoveryPoint, loaded.bytesTruncated(), loaded.segmentsRemoved(), log.logStartOffset,
                    log.logEndOffset, millis);
        }
        return log;
    }

    private void install(List<LogSegment> loaded, long logStartOffsetCheckpoint) throws IOException {
        for (LogSegment segment : loaded) {
            segments.put(segment.baseOffset(), segment);
        }
        LogSegment last = loaded.isEmpty() ? null : loaded.get(loaded.size() - 1);
        if (last == null) {
            last = LogSegment.create(dir, logStartOffsetCheckpoint, config, time);
            segments.put(last.baseOffset(), last);
        } else if (last.size() >= config.segmentBytes()) {
            LogSegment fresh = LogSegment.create(dir, last.nextOffset(), config, time);
            segments.put(fresh.baseOffset(), fresh);
            last = fresh;
        } else {
            last.activate();
        }
        activeSegment = last;
        logEndOffset = last.nextOffset();
        logStartOffset = Math.min(Math.max(logStartOffsetCheckpoint, segments.firstKey()), logEndOffset);
        epochs.truncateFromEnd(logEndOffset);
        epochs.truncateFromStart(logStartOffset);
    }

    // ---------------------------------------------------------------- appends (owner)

    /**
     * Leader append. Validates every batch first (magic 2, length bounds, CRC-32C, record count,
     * records, size limits); if any fails nothing is written. Otherwise assigns offsets from the
     * LEO, stamps {@code leaderEpoch} into each batch in place (the caller's buffer is modified),
     * appends and advances the LEO.
     *
     * @param batches position..limit holds one or more batches
     */
    public LogAppendResult append(ByteBuffer batches, int leaderEpoch) {
        return append(batches, leaderEpoch, false);
    }

    /**
     * Leader append as {@link #append(ByteBuffer, int)}; with {@code logAppendTime} (the topic's
     * {@code message.timestamp.type=LogAppendTime}) every batch is also stamped with the broker's
     * clock: attribute bit and maxTimestamp set, CRC rewritten, and the result carries the time.
     */
    public synchronized LogAppendResult append(ByteBuffer batches, int leaderEpoch, boolean logAppendTime) {
        ensureOpen();
        LogAppendResult rejected = validate(batches, true);
        if (rejected == null && config.compact()) {
            rejected = rejectRecordsWithoutKey(batches);
        }
        if (rejected != null) {
            return rejected;
        }
        long now = logAppendTime ? time.milliseconds() : RecordBatchLayout.NO_TIMESTAMP;
        long nextOffset = logEndOffset;
        for (int p = batches.position(); p < batches.limit(); p += validator.sizeInBytes()) {
            validator.wrap(batches, p);
            validator.setBaseOffset(nextOffset);
            validator.setPartitionLeaderEpoch(leaderEpoch);
            if (logAppendTime) {
                validator.stampLogAppendTime(now);
            }
            nextOffset = validator.nextOffset();
        }
        LogAppendResult result = write(batches);
        return logAppendTime && result.isSuccess() && result.batchCount() > 0 ? result.withLogAppendTime(now) : result;
    }

    /** Kafka's rule for compacted topics: a record without a key can never be compacted away. */
    private LogAppendResult rejectRecordsWithoutKey(ByteBuffer batches) {
        int index = 0;
        for (int p = batches.position(); p < batches.limit(); p += validator.sizeInBytes(), index++) {
            validator.wrap(batches, p);
            int record = CompactedBatches.firstRecordWithoutKey(validator, cursor);
            if (record >= 0) {
                return LogAppendResult.rejected(AppendError.INVALID_RECORD, index, BatchValidation.VALID,
                        "Compacted topic cannot accept message without key in topic partition " + name
                                + " (batch " + index + ", record " + record + ")");
            }
        }
        return null;
    }

    /**
     * Follower append: the batches already carry the leader's offsets and epochs and must start
     * at the LEO and be contiguous; in a compacted topic they may follow gaps and hold fewer
     * records than they cover, as the leader's cleaner left them. Validated like a leader append
     * except max.message.bytes.
     */
    public synchronized LogAppendResult appendAsFollower(ByteBuffer batches) {
        ensureOpen();
        LogAppendResult rejected = validate(batches, false);
        if (rejected != null) {
            return rejected;
        }
        long expected = logEndOffset;
        int index = 0;
        for (int p = batches.position(); p < batches.limit(); p += validator.sizeInBytes(), index++) {
            validator.wrap(batches, p);
            long base = validator.baseOffset();
            if (base < expected || (base > expected && !config.compact())) {
                return LogAppendResult.rejected(AppendError.NON_CONTIGUOUS_OFFSET, index, BatchValidation.VALID,
                        "batch " + index + " starts at offset " + validator.baseOffset() + ", expected " + expected);
            }
            expected = validator.nextOffset();
        }
        return write(batches);
    }

    private LogAppendResult validate(ByteBuffer batches, boolean leader) {
        int index = 0;
        int maxMessageBytes = config.maxMessageBytes();
        int segmentBytes = config.segmentBytes();
        for (int p = batches.position(); p < batches.limit(); p += validator.sizeInBytes(), index++) {
            validator.wrap(batches, p);
            BatchValidation validation = !leader && config.compact() ? validator.validateCompacted()
                    : validator.validate();
            if (!validation.isValid()) {
                AppendError error = validation.isCorruption() ? AppendError.CORRUPT_MESSAGE : AppendError.INVALID_RECORD;
                return LogAppendResult.rejected(error, index, validation, "batch " + index + " at byte "
                        + (p - batches.position()) + " is invalid: " + validation);
            }
            int size = validator.sizeInBytes();
            if (leader && size > maxMessageBytes) {
                return LogAppendResult.rejected(AppendError.MESSAGE_TOO_LARGE, index, validation, "batch " + index
                        + " is " + size + " bytes, larger than max.message.bytes " + maxMessageBytes);
            }
            if (size > segmentBytes) {
                return LogAppendResult.rejected(AppendError.RECORD_BATCH_TOO_LARGE, index, validation, "batch "
                        + index + " is " + size + " bytes, larger than segment.bytes " + segmentBytes);
            }
        }
        return null;
    }

    /** Appends validated batches with final headers; on I/O failure reverts to the previous LEO. */
    private LogAppendResult write(ByteBuffer batches) {
        if (!batches.hasRemaining()) {
            return LogAppendResult.nothing();
        }
        long previousEnd = logEndOffset;
        long maxTimestamp = RecordBatchLayout.NO_TIMESTAMP;
        int count = 0;
        int position = batches.position();
        int limit = batches.limit();
        try {
            for (int p = position; p < limit; count++) {
                validator.wrap(batches, p);
                int size = validator.sizeInBytes();
                long base = validator.baseOffset();
                long last = validator.lastOffset();
                long batchMax = validator.maxTimestamp();
                int epoch = validator.partitionLeaderEpoch();
                maybeRoll(size, last);
                // The caller's buffer frames one batch at a time (restored below): no allocation.
                batches.limit(p + size).position(p);
                activeSegment.append(batches, base, last, batchMax);
                batches.limit(limit);
                if (epoch > epochs.latestEpoch()) {
                    epochs.assign(epoch, base);
                }
                maxTimestamp = Math.max(maxTimestamp, batchMax);
                p += size;
            }
        } catch (IOException | RuntimeException e) {
            batches.limit(limit).position(position);
            revertTo(previousEnd, e);
            return LogAppendResult.rejected(AppendError.STORAGE_ERROR, count, BatchValidation.VALID,
                    "append to " + dir + " failed, log stays at offset " + previousEnd + ": " + e);
        }
        batches.limit(limit).position(position);
        long lastOffset = activeSegment.nextOffset() - 1;
        logEndOffset = lastOffset + 1;
        return LogAppendResult.appended(previousEnd, lastOffset, maxTimestamp, count);
    }

    private void revertTo(long previousEnd, Exception cause) {
        LOG.warn("Append to {} failed; reverting to log end offset {}: {}", dir, previousEnd, cause.toString());
        try {
            truncateSegmentsTo(previousEnd);
        } catch (IOException | RuntimeException e) {
            e.addSuppressed(cause);
            LOG.error("Could not revert {} to offset {} after a failed append; restart recovers it", dir, previousEnd, e);
        }
    }

    private void maybeRoll(int batchSize, long lastOffset) throws IOException {
        if (activeSegment.shouldRoll(batchSize, lastOffset, time.milliseconds())) {
            rollAt(activeSegment.nextOffset());
        }
    }

    /** Seals the active segment and starts a new one at the LEO, unless the active one is empty. */
    public synchronized void roll() throws IOException {
        ensureOpen();
        if (activeSegment.size() > 0) {
            rollAt(logEndOffset);
        }
    }

    private void rollAt(long baseOffset) throws IOException {
        LogSegment fresh = LogSegment.create(dir, baseOffset, config, time);
        LogSegment previous = activeSegment;
        segments.put(baseOffset, fresh);
        activeSegment = fresh;
        previous.seal();
    }

    // ---------------------------------------------------------------- truncation and retention (owner)

    /**
     * Removes every batch at or after {@code offset} (the whole batch containing it), including
     * whole later segments, and truncates the epoch cache. Below the log start offset, the log is
     * emptied and restarts at {@code offset}.
     *
     * @return true if anything was removed
     */
    public boolean truncateTo(long offset) throws IOException {
        synchronized (segmentRemoval) {
            return truncateToLocked(offset);
        }
    }

    private synchronized boolean truncateToLocked(long offset) throws IOException {
        ensureOpen();
        if (offset >= logEndOffset) {
            return false;
        }
        if (offset < logStartOffset) {
            truncateFullyAndStartAt(offset);
            return true;
        }
        truncateSegmentsTo(offset);
        return true;
    }

    private void truncateSegmentsTo(long offset) throws IOException {
        long now = time.milliseconds();
        for (LogSegment later : segments.tailMap(offset, false).descendingMap().values()) {
            retire(later, now);
        }
        LogSegment target = segments.floorEntry(offset).getValue();
        target.truncateTo(offset);
        if (!target.isActive()) {
            target.activate();
        }
        activeSegment = target;
        publishTruncatedEnd(target.nextOffset());
    }

    private void truncateFullyAndStartAt(long offset) throws IOException {
        long now = time.milliseconds();
        // Retire (rename to *.deleted) before creating the fresh segment: when offset is the base
        // of a live segment, both share a file name, and creating first would make the retirement
        // rename the fresh segment's files away.
        for (LogSegment segment : new ArrayList<>(segments.values())) {
            retire(segment, now);
        }
        LogSegment fresh = LogSegment.create(dir, offset, config, time);
        segments.put(offset, fresh);
        activeSegment = fresh;
        logStartOffset = offset;
        epochs.truncateFromEnd(offset);
        epochs.truncateFromStart(offset);
        publishTruncatedEnd(offset);
    }

    private void publishTruncatedEnd(long newEnd) {
        // Records appended after a truncation are dirty even where earlier ones had been cleaned.
        cleanerCheckpoint = cleanerCheckpoint.withFirstDirtyAtMost(newEnd);
        synchronized (flushLock) {
            logEndOffset = newEnd;
            if (recoveryPoint > newEnd) {
                recoveryPoint = newEnd;
            }
        }
        epochs.truncateFromEnd(newEnd);
    }

    /**
     * DeleteRecords: moves the log start offset up to {@code offset} (never past the LEO) and
     * deletes segments wholly below it (never the active one).
     *
     * @return false if {@code offset} is beyond the LEO (nothing changed)
     */
    public boolean advanceLogStartOffset(long offset) throws IOException {
        synchronized (segmentRemoval) {
            return advanceLogStartOffsetLocked(offset);
        }
    }

    private synchronized boolean advanceLogStartOffsetLocked(long offset) throws IOException {
        ensureOpen();
        if (offset > logEndOffset) {
            return false;
        }
        if (offset > logStartOffset) {
            logStartOffset = offset;
            epochs.truncateFromStart(offset);
            deleteSegmentsBelowLogStart();
        }
        return true;
    }

    private void deleteSegmentsBelowLogStart() throws IOException {
        long now = time.milliseconds();
        for (LogSegment segment : segments.values()) {
            if (segment == activeSegment || segment.nextOffset() > logStartOffset) {
                break;
            }
            segments.remove(segment.baseOffset());
            retire(segment, now);
        }
    }

    /**
     * Retention: deletes the oldest non-active segments that lie wholly below the log start
     * offset, or are older than retention.ms (by their largest timestamp), or must go to bring
     * the log under retention.bytes. The log start offset moves to the first remaining segment
     * first, so readers never see a gap.
     *
     * @return the number of segments deleted
     */
    public int deleteRetentionBreachedSegments() throws IOException {
        synchronized (segmentRemoval) {
            return deleteRetentionBreachedSegmentsLocked();
        }
    }

    private synchronized int deleteRetentionBreachedSegmentsLocked() throws IOException {
        ensureOpen();
        LogConfig cfg = config;
        long now = time.milliseconds();
        long excess = cfg.retentionBytes() < 0 ? 0 : sizeInBytes() - cfg.retentionBytes();
        List<LogSegment> doomed = new ArrayList<>();
        for (LogSegment segment : segments.values()) {
            if (segment == activeSegment) {
                break;
            }
            boolean belowStart = segment.nextOffset() <= logStartOffset;
            boolean expired = cfg.delete() && cfg.retentionMs() >= 0
                    && now - segment.largestTimestampOrModified() > cfg.retentionMs();
            boolean overSize = cfg.delete() && cfg.retentionBytes() >= 0 && excess - segment.size() >= 0;
            if (!belowStart && !expired && !overSize) {
                break;
            }
            excess -= segment.size();
            doomed.add(segment);
        }
        if (doomed.isEmpty()) {
            return 0;
        }
        // The next segment's base, not the last doomed one's end: after cleaning they may differ
        // (a gap), and the log start offset must be an offset some segment covers.
        long newStart = segments.higherKey(doomed.get(doomed.size() - 1).baseOffset());
        if (newStart > logStartOffset) {
            logStartOffset = newStart;
            epochs.truncateFromStart(newStart);
        }
        for (LogSegment segment : doomed) {
            segments.remove(segment.baseOffset());
            retire(segment, now);
        }
        LOG.info("Retention deleted {} segments of {}; log start offset is now {}", doomed.size(), dir, logStartOffset);
        return doomed.size();
    }

    private void retire(LogSegment segment, long now) throws IOException {
        segments.remove(segment.baseOffset(), segment);
        segment.markDeleted();
        pendingDeletions.add(new PendingDeletion(segment, now + config.fileDeleteDelayMs()));
    }

    /**
     * Removes the files of deleted segments whose delay passed and whose last reader released
     * them. Blocking file-system work: call from a background thread.
     *
     * @return segments whose files are still pending
     */
    public int deleteRetiredSegmentFiles() throws IOException {
        long now = time.milliseconds();
        synchronized (pendingDeletions) {
            for (Iterator<PendingDeletion> it = pendingDeletions.iterator(); it.hasNext(); ) {
                PendingDeletion pending = it.next();
                if (now < pending.deleteAfterMs) {
                    continue;
                }
                if (!pending.logReferenceReleased) {
                    pending.logReferenceReleased = true;
                    pending.segment.release();
                }
                if (pending.segment.deleteFilesIfUnreferenced()) {
                    it.remove();
                }
            }
            return pendingDeletions.size();
        }
    }

    // ---------------------------------------------------------------- cleaner swap (cleaner thread)

    /**
     * Replaces {@code replaced} (consecutive sealed segments covering [their first base, end))
     * with {@code cleaned}, crash-safely. Holding the segment-removal lock (not the monitor, so
     * appends go on), checks the segments are still live (retention or truncation may have removed
     * some meanwhile: then nothing happens) and writes the checkpoint with the swap entry (the
     * commit point; {@link LogLoader#finishInterruptedSwap}
     * completes the swap from here after a crash); then, under the monitor, renames the replaced files to
     * {@code *.deleted} (readers in flight keep their open channels), gives the cleaned segment its
     * final names, publishes it in the segment map before the replaced ones leave it (a reader
     * always finds a segment holding its offset), and retires the replaced ones through the usual
     * reference-counted deletion. The caller then removes the swap entry ({@link #finishSwap}).
     *
     * @return false if the segments changed and the cleaned segment was not used
     */
    boolean swapInCleaned(List<LogSegment> replaced, LogSegment cleaned, long end, CleanerStep.Hook hook)
            throws IOException {
        synchronized (segmentRemoval) {
            if (closed) {
                throw new IllegalStateException("log " + dir + " is closed");
            }
            for (LogSegment segment : replaced) {
                if (segments.get(segment.baseOffset()) != segment || segment == activeSegment || segment.isDeleted()) {
                    return false;
                }
            }
            CleanerCheckpoint committed = cleanerCheckpoint.withSwap(cleaned.baseOffset(), end);
            committed.write(dir);
            cleanerCheckpoint = committed;
            hook.reached(CleanerStep.SWAP_COMMITTED);
            swapCommitted(replaced, cleaned, hook);
            return true;
        }
    }

    /** The swap after its commit: renames and the segment-map change, under the log's monitor. */
    private synchronized void swapCommitted(List<LogSegment> replaced, LogSegment cleaned, CleanerStep.Hook hook)
            throws IOException {
        for (LogSegment segment : replaced) {
            segment.renameAway();
            hook.reached(CleanerStep.REPLACED_SEGMENT_RENAMED);
        }
        cleaned.renameCleanedToFinal();
        hook.reached(CleanerStep.CLEANED_SEGMENT_RENAMED);
        cleaned.allowGapsBelow(Long.MAX_VALUE);
        segments.put(cleaned.baseOffset(), cleaned);
        long now = time.milliseconds();
        for (LogSegment segment : replaced) {
            retire(segment, now);
        }
    }

    /**
     * After {@link #swapInCleaned}: makes the renames durable, then removes the swap entry from
     * the cleaner checkpoint. Blocking; cleaner thread.
     */
    void finishSwap() throws IOException {
        CheckpointFile.fsyncDirectory(dir);
        updateCleanerCheckpoint(CleanerCheckpoint::withoutSwap);
    }

    /**
     * Records the cleaner's progress (atomic file write) as {@code change} of the current
     * checkpoint, under the segment-removal lock so a concurrent truncation's reset of the first
     * dirty offset is not lost. Blocking; cleaner thread.
     */
    void updateCleanerCheckpoint(java.util.function.UnaryOperator<CleanerCheckpoint> change) throws IOException {
        synchronized (segmentRemoval) {
            CleanerCheckpoint next = change.apply(cleanerCheckpoint);
            next.write(dir);
            cleanerCheckpoint = next;
        }
    }

    /** What the cleaner has done to this log (first dirty offset, tombstone history). */
    public CleanerCheckpoint cleanerCheckpoint() {
        return cleanerCheckpoint;
    }

    /** Base offset of the active segment: the cleaner never reaches it. */
    public long activeSegmentBaseOffset() {
        return activeSegment.baseOffset();
    }

    // ---------------------------------------------------------------- reads (any thread)

    /**
     * Whole batches from the one containing {@code fetchOffset}, none reaching {@code upperBound}
     * (the high-water mark for consumers, the LEO for followers), at least one batch when one
     * exists below the bound even if larger than {@code maxBytes}. The batches come from one
     * segment; the caller fetches again for more.
     *
     * @return out of range when fetchOffset is below the log start offset or above the LEO;
     *         otherwise a slice (maybe empty) the caller must release
     */
    public LogReadResult read(long fetchOffset, int maxBytes, long upperBound) throws IOException {
        for (int attempt = 0; attempt < 16; attempt++) {
            long start = logStartOffset;
            long end = logEndOffset;
            if (fetchOffset < start || fetchOffset > end) {
                return LogReadResult.outOfRange(start, end);
            }
            long bound = Math.min(upperBound, end);
            if (fetchOffset >= bound) {
                return new LogReadResult(false, LogSlice.empty(), start, end);
            }
            Map.Entry<Long, LogSegment> entry = segments.floorEntry(fetchOffset);
            LogSlice slice = entry == null ? null : readFrom(entry.getValue(), fetchOffset, maxBytes, bound);
            if (slice != null) {
                return new LogReadResult(false, slice, start, end);
            }
        }
        return new LogReadResult(false, LogSlice.empty(), logStartOffset, logEndOffset);
    }

    /** A slice, an empty slice, or null when the segment vanished under us (retry). */
    private LogSlice readFrom(LogSegment segment, long fetchOffset, int maxBytes, long bound) throws IOException {
        while (segment != null) {
            if (!segment.tryRetain()) {
                return null;
            }
            long located;
            try {
                located = segment.locate(fetchOffset, maxBytes, bound);
            } catch (IOException | RuntimeException e) {
                segment.release();
                if (segment.isDeleted()) {
                    return null;
                }
                throw e;
            }
            if (located >= 0) {
                return new LogSlice(segment, segment.channel(), located >>> 32, (int) located);
            }
            segment.release();
            if (located != LogSegment.NOTHING_AT_OR_AFTER) {
                return LogSlice.empty();
            }
            Map.Entry<Long, LogSegment> next = segments.higherEntry(segment.baseOffset());
            segment = next == null ? null : next.getValue();
        }
        return LogSlice.empty();
    }

    /**
     * The first record (at or above the log start offset) whose timestamp is {@code >= timestamp}.
     * Exact for uncompressed batches; for a compressed batch, its baseOffset and maxTimestamp.
     */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) throws IOException {
        long start = logStartOffset;
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestamp() < timestamp || segment.nextOffset() <= start || !segment.tryRetain()) {
                continue;
            }
            try {
                Optional<TimestampOffset> found = searchSegment(segment, timestamp, start);
                if (found.isPresent()) {
                    return found;
                }
            } finally {
                segment.release();
            }
        }
        return Optional.empty();
    }

    private static Optional<TimestampOffset> searchSegment(LogSegment segment, long timestamp, long start) throws IOException {
        BatchScanner scanner = segment.scanner(Math.max(segment.timeIndexLookup(timestamp), start));
        while (scanner.next(false) == BatchValidation.VALID) {
            RecordBatch batch = scanner.batch();
            if (batch.nextOffset() <= start || batch.maxTimestamp() < timestamp) {
                continue;
            }
            if (batch.isCompressed()) {
                return Optional.of(new TimestampOffset(batch.maxTimestamp(), Math.max(batch.baseOffset(), start)));
            }
            for (Record record : batch.records()) {
                if (record.offset() >= start && record.timestamp() >= timestamp) {
                    return Optional.of(new TimestampOffset(record.timestamp(), record.offset()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Visits every batch from the one containing {@code fromOffset} up to the LEO, in order
     * (e.g. to rebuild producer state at startup). Reads through the file channel.
     */
    public void forEachBatch(long fromOffset, BatchVisitor visitor) throws IOException {
        long end = logEndOffset;
        Map.Entry<Long, LogSegment> first = segments.floorEntry(Math.max(fromOffset, logStartOffset));
        if (first == null) {
            return;
        }
        for (LogSegment segment : segments.tailMap(first.getKey(), true).values()) {
            if (!segment.tryRetain()) {
                continue;
            }
            try {
                BatchScanner scanner = segment.scanner(fromOffset);
                while (scanner.next(false) == BatchValidation.VALID) {
                    RecordBatch batch = scanner.batch();
                    if (batch.baseOffset() >= end) {
                        return;
                    }
                    if (batch.nextOffset() > fromOffset) {
                        visitor.visit(batch);
                    }
                }
            } finally {
                segment.release();
            }
        }
    }

    // ---------------------------------------------------------------- flushing (background)

    /** True if {@link #flushTarget} has something to flush. Cheap; any thread. */
    public boolean flushNeeded(long nowMs) {
        return flushTarget(nowMs) >= 0;
    }

    /**
     * The flush decision, cheap and callable from any thread: the LEO when flush.messages or
     * flush.ms say unflushed data must be fsynced; otherwise the active segment's base offset when
     * a rolled segment is not yet flushed (like Kafka, every roll is followed by a background flush,
     * so the recovery point keeps up with sealed segments); otherwise -1.
     */
    public long flushTarget(long nowMs) {
        long end = logEndOffset;
        long flushed = recoveryPoint;
        long unflushed = end - flushed;
        LogConfig cfg = config;
        if (unflushed >= cfg.flushMessages() || (unflushed > 0 && nowMs - lastFlushMs >= cfg.flushMs())) {
            return end;
        }
        long activeBase = activeSegment.baseOffset();
        return flushed < activeBase ? activeBase : -1;
    }

    /** Fsyncs everything up to the current LEO and advances the recovery point. Blocking. */
    public void flush() throws IOException {
        flush(logEndOffset);
    }

    /**
     * Fsyncs the segments holding [recoveryPoint, upTo), then the epoch checkpoint, then advances
     * the recovery point. Runs concurrently with appends; never call on an event loop.
     */
    public void flush(long upTo) throws IOException {
        synchronized (flushLock) {
            if (closed) {
                return;
            }
            long target = Math.min(upTo, logEndOffset);
            long from = recoveryPoint;
            if (target > from) {
                Map.Entry<Long, LogSegment> first = segments.floorEntry(from);
                Long firstKey = first == null ? segments.firstKey() : first.getKey();
                for (LogSegment segment : segments.subMap(firstKey, true, target, false).values()) {
                    if (segment.tryRetain()) {
                        try {
                            segment.flush();
                        } finally {
                            segment.release();
                        }
                    }
                }
            }
            epochs.flush();
            if (target > recoveryPoint) {
                recoveryPoint = target;
            }
            lastFlushMs = time.milliseconds();
        }
    }

    // ---------------------------------------------------------------- accessors

    public long logEndOffset() {
        return logEndOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** Everything below this offset is durable. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    public LeaderEpochCache leaderEpochCache() {
        return epochs;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies changed topic settings; segment sizes take effect at the next roll. Owner thread. */
    public synchronized void updateConfig(LogConfig newConfig) {
        if (newConfig.backend() != config.backend()) {
            throw new IllegalArgumentException("log.segment.backend cannot change while " + dir + " is open");
        }
        config = newConfig;
    }

    /** Bytes in all segments (logical sizes). */
    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    /** Base offsets of the live segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return List.copyOf(segments.keySet());
    }

    /** The live segments, oldest first (a snapshot; for diagnostics and tests). */
    public List<LogSegment> segments() {
        return List.copyOf(segments.values());
    }

    /** Segments deleted but whose files still exist. */
    public int pendingDeletionCount() {
        return pendingDeletions.size();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("log " + dir + " is closed");
        }
    }

    /**
     * Clean close: flushes, trims the active segment, writes the epoch checkpoint and closes all
     * files. Pending deletions are completed (files of retired segments removed). Blocking.
     */
    @Override
    public void close() throws IOException {
        synchronized (segmentRemoval) {
            closeLocked();
        }
    }

    private synchronized void closeLocked() throws IOException {
        if (closed) {
            return;
        }
        IOException failure = null;
        synchronized (flushLock) {
            flush();
            closed = true;
            for (LogSegment segment : segments.values()) {
                try {
                    segment.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        releaseRetiredSegments();
        epochs.flush();
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes without flushing or trimming, as a crash would leave the files (tests, fatal errors). */
    public void closeWithoutFlush() {
        synchronized (segmentRemoval) {
            closeWithoutFlushLocked();
        }
    }

    private synchronized void closeWithoutFlushLocked() {
        synchronized (flushLock) {
            closed = true;
            for (LogSegment segment : segments.values()) {
                segment.closeQuietly();
            }
        }
        try {
            releaseRetiredSegments();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not release retired segments of {} while closing without flush", dir, e);
        }
    }

    /**
     * On close the log gives up its reference to every retired segment, whatever its delete
     * delay: nothing will run the deletion duty for a closed log, and a retired segment whose
     * channel stayed open would hold its file descriptor and disk blocks until the process exits
     * (a deleted topic's directory is gone, but its unlinked files would not be). A segment still
     * held by an in-flight fetch at this moment keeps its channel open: a rare, bounded case
     * (removing files from the reader's event loop would put blocking I/O there).
     */
    private void releaseRetiredSegments() throws IOException {
        synchronized (pendingDeletions) {
            for (PendingDeletion pending : pendingDeletions) {
                if (!pending.logReferenceReleased) {
                    pending.logReferenceReleased = true;
                    pending.segment.release();
                }
                pending.segment.deleteFilesIfUnreferenced();
            }
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + name + ", logStartOffset=" + logStartOffset + ", logEndOffset=" + logEndOffset
                + ", segments=" + segments.size() + ")";
    }
}

package io.tidelog.broker.log;

import io.tidelog.broker.Time;
import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One segment of a partition log: {@code <20-digit base offset>.log} plus its {@code .index} and
 * {@code .timeindex}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Bytes [0, size) are whole, valid batches with increasing offsets; the last ends at
 *       {@link #nextOffset()} - 1. Offsets are contiguous from {@link #baseOffset()} except where
 *       the cleaner removed records: a batch may start after the previous one ended (a gap) only
 *       if it starts at or below {@link #allowGapsBelow gapsAllowedBelow}, and only such batches
 *       may hold fewer records than they cover.</li>
 *   <li>A cleaner's replacement segment is written under {@code *.cleaned} names
 *       ({@link #createCleaned}) and takes the final names only in the swap
 *       ({@link #renameCleanedToFinal}), after the segments it replaces were renamed away.</li>
 *   <li>Active: the .log is preallocated to segment.bytes and mapped; appends go through the
 *       mapping after {@link MappedFile#reserve} succeeded. Bytes in [size, capacity) are zeros or
 *       garbage never published. Sealed: no mapping; the file is exactly {@code size} bytes.</li>
 *   <li>Readers use only the {@link FileChannel} and index lookups, both safe after unmapping;
 *       the mapping is used by the owner thread and (bracketed) by the flusher only.</li>
 *   <li>Reference count: the log holds one; each {@link LogSlice} holds one. After
 *       {@link #markDeleted()} the files are named {@code *.deleted} and unmapped; they are
 *       removed by {@link #deleteFilesIfUnreferenced()} only when the count is zero.</li>
 *   <li>size, nextOffset and maxTimestamp are written by the owner thread only and published as
 *       volatiles.</li>
 * </ul>
 */
public final class LogSegment {

    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String DELETED_SUFFIX = ".deleted";
    public static final String CLEANED_SUFFIX = ".cleaned";
    static final long NOTHING_AT_OR_AFTER = -1;
    private static final String[] SUFFIXES = {LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX};

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final Path dir;
    private final long baseOffset;
    private final LogConfig config;
    private final Time time;
    private final FileChannel channel;
    private volatile SharedMapping logMapping;
    private OffsetIndex offsetIndex;
    private TimeIndex timeIndex;
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = RecordBatchLayout.NO_TIMESTAMP;
    private long offsetOfMaxTimestamp;
    private int bytesSinceLastIndexEntry;
    private long rollStartMs;
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile boolean deleted;
    private volatile boolean renamedAway;
    private volatile String fileSuffix = "";
    private long gapsAllowedBelow;

    private LogSegment(Path dir, long baseOffset, LogConfig config, Time time, FileChannel channel) throws IOException {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.config = config;
        this.time = time;
        this.channel = channel;
        this.nextOffset = baseOffset;
        this.rollStartMs = time.milliseconds();
        this.size = (int) Math.min(channel.size(), Integer.MAX_VALUE);
    }

    public static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    /** Creates an empty active segment (replacing leftovers of the same name). */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, Time time) throws IOException {
        Path logPath = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel channel = FileChannel.open(logPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        LogSegment segment = null;
        try {
            segment = new LogSegment(dir, baseOffset, config, time, channel);
            segment.offsetIndex = OffsetIndex.create(segment.indexPath(), baseOffset, config);
            segment.timeIndex = TimeIndex.create(segment.timeIndexPath(), baseOffset, config);
            segment.mapForAppends();
            return segment;
        } catch (IOException | RuntimeException e) {
            if (segment != null) {
                segment.closeQuietly();
            } else {
                channel.close();
            }
            for (String suffix : new String[] {LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX}) {
                try {
                    Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix)));
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Opens an existing segment file, unmapped and without indexes; follow with loadIndexes or recover. */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, Time time) throws IOException {
        Path logPath = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel channel = FileChannel.open(logPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new LogSegment(dir, baseOffset, config, time, channel);
    }

    /**
     * Clean-shutdown path: opens the trimmed indexes and reads the tail after the last index entry
     * to learn nextOffset and maxTimestamp.
     *
     * @throws CorruptIndexException if an index fails its sanity check or the tail does not parse
     */
    void loadIndexes() throws IOException {
        offsetIndex = OffsetIndex.openSealed(indexPath(), baseOffset, config, size);
        try {
            timeIndex = TimeIndex.openSealed(timeIndexPath(), baseOffset, config);
        } catch (CorruptIndexException e) {
            offsetIndex.close();
            offsetIndex = null;
            throw e;
        }
        rescanTail();
        checkLastTimeIndexEntry();
    }

    /**
     * The last time-index entry must name a batch that carries exactly its timestamp (entries
     * record the batch holding the maximum so far); a damaged index that still looks monotonic
     * fails here instead of hiding batches from timestamp lookups and retention.
     */
    private void checkLastTimeIndexEntry() throws IOException {
        if (timeIndex.entryCount() == 0) {
            return;
        }
        long offset = timeIndex.lastOffset();
        HeaderReader headers = HeaderReader.forThisThread().reset(channel);
        int position = positionOfBatchContaining(headers, offset, size);
        int header = position < 0 || position >= size ? -1 : headers.headerAt(position);
        if (header < 0 || headers.baseOffset(header) != offset || headers.maxTimestamp(header) != timeIndex.lastTimestamp()) {
            throw new CorruptIndexException("time index " + timeIndexPath() + " ends with (" + timeIndex.lastTimestamp()
                    + ", " + offset + "), which is not a batch of the segment with that timestamp");
        }
    }

    private void rescanTail() throws IOException {
        int start = offsetIndex.entryCount() == 0 ? 0 : offsetIndex.lookup(Long.MAX_VALUE);
        BatchScanner scanner = new BatchScanner(channel, start, size);
        long next = start == 0 ? baseOffset : offsetIndex.lastOffset();
        long tailMax = timeIndex.lastTimestamp();
        offsetOfMaxTimestamp = timeIndex.lastOffset();
        int bytesSince = 0;
        BatchValidation result;
        while ((result = scanner.next(false)) == BatchValidation.VALID) {
            RecordBatch batch = scanner.batch();
            if (batch.baseOffset() != next && !gapAllowed(next, batch.baseOffset())) {
                throw new CorruptIndexException("segment " + logPath() + " tail batch at " + scanner.batchPosition()
                        + " has offset " + batch.baseOffset() + ", expected " + next);
            }
            next = batch.nextOffset();
            if (batch.maxTimestamp() > tailMax) {
                tailMax = batch.maxTimestamp();
                offsetOfMaxTimestamp = batch.baseOffset();
            }
            bytesSince += batch.sizeInBytes();
        }
        if (result != null) {
            throw new CorruptIndexException("segment " + logPath() + " does not parse at " + scanner.position()
                    + " (" + result + ") after its last index entry");
        }
        nextOffset = next;
        maxTimestamp = tailMax;
        bytesSinceLastIndexEntry = bytesSince;
    }

    /** Outcome of scanning a segment during recovery. */
    record Recovery(int validBytes, long truncatedBytes, BatchValidation stopReason, boolean offsetGap) {
        boolean truncated() {
            return stopReason != null || offsetGap;
        }
    }

    /**
     * Validates every batch (length bounds, magic, CRC-32C, record count, contiguous offsets from
     * the base offset), cuts the file at the first failure, and rebuilds both indexes from what
     * survived. Epochs of surviving batches above the cache's latest are assigned to {@code epochs}
     * (null: leave the cache alone).
     */
    Recovery recover(LeaderEpochCache epochs) throws IOException {
        closeIndexes();
        offsetIndex = OffsetIndex.create(indexPath(), baseOffset, config);
        timeIndex = TimeIndex.create(timeIndexPath(), baseOffset, config);
        maxTimestamp = RecordBatchLayout.NO_TIMESTAMP;
        bytesSinceLastIndexEntry = 0;
        long fileSize = channel.size();
        BatchScanner scanner = new BatchScanner(channel, 0, fileSize).compactedBelow(gapsAllowedBelow);
        long expected = baseOffset;
        BatchValidation result;
        boolean gap = false;
        while ((result = scanner.next(true)) == BatchValidation.VALID) {
            RecordBatch batch = scanner.batch();
            if (batch.baseOffset() != expected && !gapAllowed(expected, batch.baseOffset())) {
                gap = true;
                scanner = null;
                break;
            }
            index((int) scanner.batchPosition(), batch.sizeInBytes(), batch.baseOffset(), batch.maxTimestamp());
            if (epochs != null && batch.partitionLeaderEpoch() > epochs.latestEpoch()) {
                epochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
            }
            expected = batch.nextOffset();
        }
        int validBytes = offsetAfter(expected, fileSize, scanner);
        long truncatedBytes = 0;
        if (validBytes < fileSize) {
            boolean zeroTail = !gap && scanner != null && scanner.atZeroHeader();
            truncatedBytes = zeroTail ? 0 : fileSize - validBytes;
            channel.truncate(validBytes);
        }
        size = validBytes;
        nextOffset = expected;
        offsetIndex.seal();
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        timeIndex.seal();
        boolean clean = result == null || (result != BatchValidation.VALID && truncatedBytes == 0 && !gap);
        return new Recovery(validBytes, truncatedBytes, clean ? null : result, gap);
    }

    /**
     * Batches starting at or below {@code offset} may follow a gap and be compacted (the cleaner
     * rewrote them). Set before {@link #loadIndexes} or {@link #recover}.
     */
    void allowGapsBelow(long offset) {
        gapsAllowedBelow = offset;
    }

    private boolean gapAllowed(long expected, long actual) {
        return actual > expected && actual <= gapsAllowedBelow;
    }

    private int offsetAfter(long expected, long fileSize, BatchScanner scanner) throws IOException {
        if (scanner != null) {
            return (int) scanner.position();
        }
        // Offset gap: find where the last contiguous batch ended by walking headers again.
        BatchScanner again = new BatchScanner(channel, 0, fileSize);
        long end = 0;
        while (again.next(false) == BatchValidation.VALID && again.batch().nextOffset() <= expected) {
            end = again.position();
        }
        return (int) end;
    }

    /**
     * A cleaner's replacement for the segments from {@code baseOffset}: files named
     * {@code *.cleaned}, written through the channel ({@link #appendCleaned}), never mapped.
     */
    static LogSegment createCleaned(Path dir, long baseOffset, LogConfig config, Time time) throws IOException {
        for (String suffix : SUFFIXES) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix) + CLEANED_SUFFIX));
        }
        Path logPath = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + CLEANED_SUFFIX);
        FileChannel channel = FileChannel.open(logPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        LogSegment segment = new LogSegment(dir, baseOffset, config, time, channel);
        segment.fileSuffix = CLEANED_SUFFIX;
        segment.gapsAllowedBelow = Long.MAX_VALUE;
        try {
            segment.offsetIndex = OffsetIndex.create(segment.indexPath(), baseOffset, config);
            segment.timeIndex = TimeIndex.create(segment.timeIndexPath(), baseOffset, config);
            return segment;
        } catch (IOException | RuntimeException e) {
            segment.abandonCleaned();
            throw e;
        }
    }

    /** Appends one (rewritten) batch to a cleaned segment through its channel. Cleaner thread only. */
    void appendCleaned(ByteBuffer batch, long batchBaseOffset, long batchLastOffset, long batchMaxTimestamp)
            throws IOException {
        int position = size;
        int length = batch.remaining();
        long at = position;
        while (batch.hasRemaining()) {
            at += channel.write(batch, at);
        }
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
            offsetOfMaxTimestamp = batchBaseOffset;
        }
        if (bytesSinceLastIndexEntry > config.indexIntervalBytes() && !offsetIndex.isFull() && !timeIndex.isFull()) {
            offsetIndex.append(batchBaseOffset, position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += length;
        nextOffset = batchLastOffset + 1;
        size = position + length;
    }

    /** Seals the indexes of a cleaned segment and forces all three files to disk. */
    void finishCleaned() throws IOException {
        if (!timeIndex.isFull()) {
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        }
        offsetIndex.seal();
        timeIndex.seal();
        offsetIndex.flush();
        timeIndex.flush();
        channel.force(true);
    }

    /**
     * Swap step: a cleaned segment takes its final names (indexes first, the .log last, so a
     * {@code .log.cleaned} left by a crash means no final name was taken by the replacement's log)
     * and reopens its indexes under them. The replaced segments must have been renamed away.
     */
    void renameCleanedToFinal() throws IOException {
        closeIndexes();
        offsetIndex = null;
        timeIndex = null;
        for (String suffix : new String[] {INDEX_SUFFIX, TIME_INDEX_SUFFIX, LOG_SUFFIX}) {
            Path from = dir.resolve(fileName(baseOffset, suffix) + CLEANED_SUFFIX);
            Files.move(from, dir.resolve(fileName(baseOffset, suffix)), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        fileSuffix = "";
        offsetIndex = OffsetIndex.openSealed(indexPath(), baseOffset, config, size);
        timeIndex = TimeIndex.openSealed(timeIndexPath(), baseOffset, config);
    }

    /** Closes a cleaned segment that will not be swapped in and removes its files. */
    void abandonCleaned() {
        closeQuietly();
        for (String suffix : SUFFIXES) {
            try {
                Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix) + CLEANED_SUFFIX));
            } catch (IOException ignored) {
                // a leftover *.cleaned is removed at the next startup
            }
        }
    }

    /**
     * Swap step: renames the files to {@code *.deleted} while channel and index mappings stay
     * open, so a reader that found this segment keeps reading it; {@link #markDeleted()} later
     * releases them without renaming again.
     */
    void renameAway() throws IOException {
        renameToDeleted(logPath());
        renameToDeleted(indexPath());
        renameToDeleted(timeIndexPath());
        renamedAway = true;
    }

    /** Maps the file for appends (after open or recovery, for the last segment). */
    void activate() throws IOException {
        if (logMapping != null) {
            return;
        }
        offsetIndex.activate(config.segmentIndexBytes());
        timeIndex.activate(config.segmentIndexBytes());
        mapForAppends();
    }

    private void mapForAppends() throws IOException {
        long capacity = Math.max(config.segmentBytes(), size);
        // [0, size) holds batches that were written (and, after recovery, read back): vouch for
        // them so the first reserve does not re-read the prefix looking for holes.
        logMapping = new SharedMapping(config.backend().open(logPath(), capacity, size));
        rollStartMs = time.milliseconds();
    }

    boolean isActive() {
        return logMapping != null;
    }

    /** True if appending {@code batchSize} bytes reaching {@code lastOffset} at {@code nowMs} needs a new segment. */
    boolean shouldRoll(int batchSize, long lastOffset, long nowMs) {
        return size > 0 && ((long) size + batchSize > config.segmentBytes()
                || nowMs - rollStartMs >= config.segmentMs()
                || offsetIndex.isFull() || timeIndex.isFull()
                || lastOffset - baseOffset > Integer.MAX_VALUE);
    }

    /**
     * Appends one batch (src's position..limit) whose header already holds its final offsets.
     * Owner only. Publishes size and nextOffset only after the bytes are in place.
     *
     * @throws IOException if disk space cannot be reserved; then nothing was written
     */
    void append(ByteBuffer src, long batchBaseOffset, long batchLastOffset, long batchMaxTimestamp) throws IOException {
        int position = size;
        int length = src.remaining();
        MappedFile file = logMapping.file();
        file.reserve((long) position + length);
        file.write(position, src);
        if (position == 0) {
            rollStartMs = time.milliseconds();
        }
        index(position, length, batchBaseOffset, batchMaxTimestamp);
        nextOffset = batchLastOffset + 1;
        size = position + length;
    }

    private void index(int position, int length, long batchBaseOffset, long batchMaxTimestamp) {
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
            offsetOfMaxTimestamp = batchBaseOffset;
        }
        if (bytesSinceLastIndexEntry > config.indexIntervalBytes()) {
            offsetIndex.append(batchBaseOffset, position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += length;
    }

    /** Active → sealed: final time-index entry, unmap, trim the .log and both indexes. Owner only. */
    void seal() throws IOException {
        SharedMapping mapping = logMapping;
        if (mapping == null) {
            return;
        }
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        logMapping = null;
        mapping.release();
        channel.truncate(size);
        offsetIndex.seal();
        timeIndex.seal();
    }

    /**
     * Removes every batch with lastOffset {@code >= offset} (the batch containing offset included).
     * Owner only. Active: the dropped bytes are zeroed so recovery can never resurrect them.
     *
     * @return bytes removed
     */
    int truncateTo(long offset) throws IOException {
        int newSize = positionOfBatchContaining(offset, size);
        if (newSize < 0 || newSize >= size) {
            return 0;
        }
        int removed = size - newSize;
        long newNext = newSize == 0 ? baseOffset : baseOffsetAt(newSize);
        SharedMapping mapping = logMapping;
        size = newSize;
        nextOffset = newNext;
        if (mapping != null) {
            zero(mapping.file(), newSize, newSize + removed);
        } else {
            channel.truncate(newSize);
        }
        offsetIndex.truncateTo(newNext);
        timeIndex.truncateTo(newNext);
        maxTimestamp = RecordBatchLayout.NO_TIMESTAMP;
        rescanTail();
        return removed;
    }

    private static void zero(MappedFile file, long from, long to) {
        for (long p = from; p < to; p += ZEROS.capacity()) {
            ByteBuffer chunk = ZEROS.duplicate();
            chunk.limit((int) Math.min(chunk.capacity(), to - p));
            file.write(p, chunk);
        }
    }

    /**
     * File position of the batch whose lastOffset is the first {@code >= offset}, searching
     * below {@code limit}; {@code limit} if every batch ends before offset; -1 if the bytes do not
     * parse. Any thread.
     */
    int positionOfBatchContaining(long offset, int limit) throws IOException {
        return positionOfBatchContaining(HeaderReader.forThisThread().reset(channel), offset, limit);
    }

    private int positionOfBatchContaining(HeaderReader headers, long offset, int limit) throws IOException {
        int position = offsetIndex == null ? 0 : offsetIndex.lookup(offset);
        while (position < limit) {
            int header = headers.headerAt(position);
            if (header < 0) {
                return -1;
            }
            if (headers.lastOffset(header) >= offset) {
                return position;
            }
            position += headers.sizeInBytes(header);
        }
        return limit;
    }

    /** Base offset of the batch at {@code position} (which must hold one). */
    private long baseOffsetAt(int position) throws IOException {
        HeaderReader headers = HeaderReader.forThisThread().reset(channel);
        int header = headers.headerAt(position);
        if (header < 0) {
            throw new IOException("no batch header at position " + position + " of " + logPath());
        }
        return headers.baseOffset(header);
    }

    /**
     * Whole batches from the one containing fetchOffset, stopping before any batch reaching
     * upperBound and (after the first) before exceeding maxBytes. Any thread; the caller holds a
     * reference.
     *
     * @return {@code position << 32 | length}; {@link #NOTHING_AT_OR_AFTER} if no batch of this
     *         segment ends at or after fetchOffset (the reader moves on to the next segment: with
     *         gaps a segment may end before the next one begins); -2 if the batch there does not
     *         qualify (it reaches upperBound) or does not parse
     */
    long locate(long fetchOffset, int maxBytes, long upperBound) throws IOException {
        int limit = size;
        HeaderReader headers = HeaderReader.forThisThread().reset(channel);
        int start = positionOfBatchContaining(headers, fetchOffset, limit);
        if (start >= limit) {
            return NOTHING_AT_OR_AFTER;
        }
        if (start < 0) {
            return -2;
        }
        int end = start;
        while (end < limit && (end == start || end - start < maxBytes)) {
            int header = headers.headerAt(end);
            if (header < 0) {
                break;
            }
            int batchSize = headers.sizeInBytes(header);
            if (headers.lastOffset(header) >= upperBound || (end > start && (long) end - start + batchSize > maxBytes)) {
                break;
            }
            end += batchSize;
        }
        return end == start ? -2 : ((long) start << 32) | (end - start);
    }

    /** Offset to begin a timestamp search at: before the first batch with maxTimestamp {@code >= target}. */
    long timeIndexLookup(long targetTimestamp) {
        return timeIndex == null ? baseOffset : timeIndex.lookup(targetTimestamp);
    }

    /** Scans batches (content unchecked) starting at the batch containing {@code fromOffset}. */
    BatchScanner scanner(long fromOffset) throws IOException {
        int limit = size;
        int start = Math.max(0, positionOfBatchContaining(fromOffset, limit));
        return new BatchScanner(channel, start, limit);
    }

    /** Forces appended bytes and index entries to disk. Any thread (the flusher). */
    void flush() throws IOException {
        SharedMapping mapping = logMapping;
        if (mapping != null && mapping.tryAcquire()) {
            try {
                mapping.file().force(size);
            } finally {
                mapping.release();
            }
        }
        channel.force(true);
        OffsetIndex oi = offsetIndex;
        TimeIndex ti = timeIndex;
        if (oi != null) {
            oi.flush();
        }
        if (ti != null) {
            ti.flush();
        }
    }

    /** Takes a reader reference; false if the segment's files are already gone. */
    boolean tryRetain() {
        while (true) {
            int current = refs.get();
            if (current == 0) {
                return false;
            }
            if (refs.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() < 0) {
            throw new IllegalStateException("segment " + baseOffset + " released more often than retained");
        }
    }

    int refCount() {
        return refs.get();
    }

    /**
     * Owner only: unmaps log and indexes and renames the files to {@code *.deleted}. Readers
     * holding a reference keep reading through the open channel. The log's own reference is
     * dropped later by the caller ({@link #release()}) after file.delete.delay.ms.
     */
    void markDeleted() throws IOException {
        if (deleted) {
            return;
        }
        deleted = true;
        SharedMapping mapping = logMapping;
        logMapping = null;
        if (mapping != null) {
            mapping.release();
        }
        closeIndexes();
        if (!renamedAway) {
            renameToDeleted(logPath());
            renameToDeleted(indexPath());
            renameToDeleted(timeIndexPath());
        }
    }

    private static void renameToDeleted(Path path) throws IOException {
        if (Files.exists(path)) {
            Files.move(path, path.resolveSibling(path.getFileName() + DELETED_SUFFIX),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes the {@code *.deleted} files once nobody references the segment; true when gone. */
    boolean deleteFilesIfUnreferenced() throws IOException {
        if (refs.get() != 0) {
            return false;
        }
        channel.close();
        for (String suffix : new String[] {LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX}) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix) + DELETED_SUFFIX));
        }
        return true;
    }

    boolean isDeleted() {
        return deleted;
    }

    /** Seals (trims) if active, then closes mappings and the channel. Clean shutdown. */
    void close() throws IOException {
        try {
            seal();
        } finally {
            closeQuietly();
        }
    }

    /** Releases mappings and the channel without trimming (after a failure). */
    void closeQuietly() {
        SharedMapping mapping = logMapping;
        logMapping = null;
        if (mapping != null) {
            mapping.release();
        }
        closeIndexes();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    private void closeIndexes() {
        if (offsetIndex != null) {
            offsetIndex.close();
        }
        if (timeIndex != null) {
            timeIndex.close();
        }
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Offset after the last batch; equals baseOffset when empty. */
    public long nextOffset() {
        return nextOffset;
    }

    /** Logical size in bytes (the file is larger while active). */
    public int size() {
        return size;
    }

    /** Largest batch maxTimestamp in the segment, or -1 if none. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** For retention: the largest timestamp, or the file's modification time if no batch has one. */
    long largestTimestampOrModified() throws IOException {
        long max = maxTimestamp;
        return max > 0 ? max : Files.getLastModifiedTime(logPath()).toMillis();
    }

    FileChannel channel() {
        return channel;
    }

    Path logPath() {
        return dir.resolve(fileName(baseOffset, LOG_SUFFIX) + fileSuffix);
    }

    Path indexPath() {
        return dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + fileSuffix);
    }

    Path timeIndexPath() {
        return dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + fileSuffix);
    }

    @Override
    public String toString() {
        return "LogSegment(base=" + baseOffset + ", next=" + nextOffset + ", size=" + size
                + (isActive() ? ", active" : "") + (deleted ? ", deleted" : "") + ")";
    }
}

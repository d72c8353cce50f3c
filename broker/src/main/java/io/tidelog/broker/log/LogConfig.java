package io.tidelog.broker.log;

import io.tidelog.protocol.record.RecordBatchLayout;

/**
 * Typed, validated settings of one partition log. Broker keys ({@code log.*}) and topic keys
 * (without the prefix) map onto these fields; the Kafka key of each field is named in its comment.
 * Every constructor path validates and names the offending key in the exception.
 *
 * @param segmentBytes       {@code segment.bytes} / {@code log.segment.bytes}: segment file size, preallocated. Default 1 GiB.
 * @param segmentMs          {@code segment.ms} / {@code log.roll.ms}: roll a non-empty active segment this old. Default 7 days.
 * @param indexIntervalBytes {@code index.interval.bytes} / {@code log.index.interval.bytes}: bytes between offset-index entries. Default 4096.
 * @param segmentIndexBytes  {@code segment.index.bytes} / {@code log.index.size.max.bytes}: preallocated size of each index file. Default 10 MiB.
 * @param maxMessageBytes    {@code max.message.bytes} / {@code message.max.bytes}: largest batch a producer may append. Default 1048588.
 * @param retentionMs        {@code retention.ms} / {@code log.retention.ms}: delete segments older than this; -1 = forever. Default 7 days.
 * @param retentionBytes     {@code retention.bytes} / {@code log.retention.bytes}: keep at most this many bytes; -1 = unbounded. Default -1.
 * @param flushMessages      {@code flush.messages} / {@code log.flush.interval.messages}: fsync after this many unflushed messages. Default Long.MAX_VALUE.
 * @param flushMs            {@code flush.ms} / {@code log.flush.interval.ms}: fsync when unflushed data is this old. Default Long.MAX_VALUE.
 * @param fileDeleteDelayMs  {@code file.delete.delay.ms} / {@code log.segment.delete.delay.ms}: keep a deleted segment's files this long. Default 60000.
 * @param backend            {@code log.segment.backend} (Tidelog's own key): the mapped-file implementation.
 * @param compact            {@code cleanup.policy} contains {@code compact}: the cleaner keeps the latest record per key. Default false.
 * @param delete             {@code cleanup.policy} contains {@code delete}: time and size retention apply. Default true.
 * @param deleteRetentionMs  {@code delete.retention.ms} / {@code log.cleaner.delete.retention.ms}: how long a tombstone
 *                           survives after the cleaner passed it. Default 1 day.
 * @param minCompactionLagMs {@code min.compaction.lag.ms} / {@code log.cleaner.min.compaction.lag.ms}: a record stays
 *                           uncompacted at least this long after it was written. Default 0.
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio} / {@code log.cleaner.min.cleanable.ratio}: dirty
 *                           bytes / cleanable bytes a log needs before it is cleaned. Default 0.5.
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int indexIntervalBytes,
        int segmentIndexBytes,
        int maxMessageBytes,
        long retentionMs,
        long retentionBytes,
        long flushMessages,
        long flushMs,
        long fileDeleteDelayMs,
        SegmentBackend backend,
        boolean compact,
        boolean delete,
        long deleteRetentionMs,
        long minCompactionLagMs,
        double minCleanableDirtyRatio) {

    public static final int DEFAULT_SEGMENT_BYTES = 1 << 30;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1048588;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RETENTION_BYTES = -1L;
    public static final long DEFAULT_FLUSH_MESSAGES = Long.MAX_VALUE;
    public static final long DEFAULT_FLUSH_MS = Long.MAX_VALUE;
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000L;
    public static final SegmentBackend DEFAULT_BACKEND = SegmentBackend.DEFAULT;
    public static final long DEFAULT_DELETE_RETENTION_MS = 24L * 60 * 60 * 1000;
    public static final long DEFAULT_MIN_COMPACTION_LAG_MS = 0L;
    public static final double DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = 0.5;

    /** Smallest index file that holds one entry of either index (time index entries are 12 bytes). */
    private static final int MIN_SEGMENT_INDEX_BYTES = TimeIndexLayout.ENTRY_SIZE;

    public LogConfig {
        require(segmentBytes >= RecordBatchLayout.HEADER_SIZE, "segment.bytes", segmentBytes,
                "must be at least " + RecordBatchLayout.HEADER_SIZE + " (one batch header)");
        require(segmentMs >= 1, "segment.ms", segmentMs, "must be at least 1");
        require(indexIntervalBytes >= 0, "index.interval.bytes", indexIntervalBytes, "must not be negative");
        require(segmentIndexBytes >= MIN_SEGMENT_INDEX_BYTES, "segment.index.bytes", segmentIndexBytes,
                "must be at least " + MIN_SEGMENT_INDEX_BYTES + " (one index entry)");
        require(maxMessageBytes >= 0, "max.message.bytes", maxMessageBytes, "must not be negative");
        require(retentionMs >= -1, "retention.ms", retentionMs, "must be -1 (forever) or at least 0");
        require(retentionBytes >= -1, "retention.bytes", retentionBytes, "must be -1 (unbounded) or at least 0");
        require(flushMessages >= 1, "flush.messages", flushMessages, "must be at least 1");
        require(flushMs >= 0, "flush.ms", flushMs, "must not be negative");
        require(fileDeleteDelayMs >= 0, "file.delete.delay.ms", fileDeleteDelayMs, "must not be negative");
        require(deleteRetentionMs >= 0, "delete.retention.ms", deleteRetentionMs, "must not be negative");
        require(minCompactionLagMs >= 0, "min.compaction.lag.ms", minCompactionLagMs, "must not be negative");
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new IllegalArgumentException("Invalid value " + minCleanableDirtyRatio
                    + " for configuration min.cleanable.dirty.ratio: must be between 0 and 1");
        }
        if (!compact && !delete) {
            throw new IllegalArgumentException("Invalid value for configuration cleanup.policy: must contain delete, "
                    + "compact or both");
        }
        if (backend == null) {
            throw new IllegalArgumentException("Invalid value null for configuration log.segment.backend: must be one of NIO, CHRONICLE");
        }
    }

    /** A config with the default cleanup settings (cleanup.policy=delete). */
    public LogConfig(int segmentBytes, long segmentMs, int indexIntervalBytes, int segmentIndexBytes, int maxMessageBytes,
                     long retentionMs, long retentionBytes, long flushMessages, long flushMs, long fileDeleteDelayMs,
                     SegmentBackend backend) {
        this(segmentBytes, segmentMs, indexIntervalBytes, segmentIndexBytes, maxMessageBytes, retentionMs, retentionBytes,
                flushMessages, flushMs, fileDeleteDelayMs, backend, false, true, DEFAULT_DELETE_RETENTION_MS,
                DEFAULT_MIN_COMPACTION_LAG_MS, DEFAULT_MIN_CLEANABLE_DIRTY_RATIO);
    }

    /** Kafka's defaults. */
    public static LogConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder()
                .segmentBytes(segmentBytes).segmentMs(segmentMs).indexIntervalBytes(indexIntervalBytes)
                .segmentIndexBytes(segmentIndexBytes).maxMessageBytes(maxMessageBytes).retentionMs(retentionMs)
                .retentionBytes(retentionBytes).flushMessages(flushMessages).flushMs(flushMs)
                .fileDeleteDelayMs(fileDeleteDelayMs).backend(backend).compact(compact).delete(delete)
                .deleteRetentionMs(deleteRetentionMs).minCompactionLagMs(minCompactionLagMs)
                .minCleanableDirtyRatio(minCleanableDirtyRatio);
    }

    public LogConfig withSegmentBytes(int value) {
        return toBuilder().segmentBytes(value).build();
    }

    public LogConfig withRetentionMs(long value) {
        return toBuilder().retentionMs(value).build();
    }

    public LogConfig withRetentionBytes(long value) {
        return toBuilder().retentionBytes(value).build();
    }

    public LogConfig withBackend(SegmentBackend value) {
        return toBuilder().backend(value).build();
    }

    private static void require(boolean ok, String key, long value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid value " + value + " for configuration " + key + ": " + rule);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int segmentBytes = DEFAULT_SEGMENT_BYTES;
        private long segmentMs = DEFAULT_SEGMENT_MS;
        private int indexIntervalBytes = DEFAULT_INDEX_INTERVAL_BYTES;
        private int segmentIndexBytes = DEFAULT_SEGMENT_INDEX_BYTES;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private long retentionMs = DEFAULT_RETENTION_MS;
        private long retentionBytes = DEFAULT_RETENTION_BYTES;
        private long flushMessages = DEFAULT_FLUSH_MESSAGES;
        private long flushMs = DEFAULT_FLUSH_MS;
        private long fileDeleteDelayMs = DEFAULT_FILE_DELETE_DELAY_MS;
        private SegmentBackend backend = DEFAULT_BACKEND;
        private boolean compact;
        private boolean delete = true;
        private long deleteRetentionMs = DEFAULT_DELETE_RETENTION_MS;
        private long minCompactionLagMs = DEFAULT_MIN_COMPACTION_LAG_MS;
        private double minCleanableDirtyRatio = DEFAULT_MIN_CLEANABLE_DIRTY_RATIO;

        private Builder() {
        }

        public Builder segmentBytes(int v) { segmentBytes = v; return this; }
        public Builder segmentMs(long v) { segmentMs = v; return this; }
        public Builder indexIntervalBytes(int v) { indexIntervalBytes = v; return this; }
        public Builder segmentIndexBytes(int v) { segmentIndexBytes = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder retentionMs(long v) { retentionMs = v; return this; }
        public Builder retentionBytes(long v) { retentionBytes = v; return this; }
        public Builder flushMessages(long v) { flushMessages = v; return this; }
        public Builder flushMs(long v) { flushMs = v; return this; }
        public Builder fileDeleteDelayMs(long v) { fileDeleteDelayMs = v; return this; }
        public Builder backend(SegmentBackend v) { backend = v; return this; }
        public Builder compact(boolean v) { compact = v; return this; }
        public Builder delete(boolean v) { delete = v; return this; }
        public Builder deleteRetentionMs(long v) { deleteRetentionMs = v; return this; }
        public Builder minCompactionLagMs(long v) { minCompactionLagMs = v; return this; }
        public Builder minCleanableDirtyRatio(double v) { minCleanableDirtyRatio = v; return this; }

        /** {@code cleanup.policy}: delete, compact, or both comma-separated. */
        public Builder cleanupPolicy(String policy) {
            compact = policy.contains("compact");
            delete = policy.contains("delete");
            return this;
        }

        public LogConfig build() {
            return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, segmentIndexBytes, maxMessageBytes,
                    retentionMs, retentionBytes, flushMessages, flushMs, fileDeleteDelayMs, backend, compact, delete,
                    deleteRetentionMs, minCompactionLagMs, minCleanableDirtyRatio);
        }
    }
}

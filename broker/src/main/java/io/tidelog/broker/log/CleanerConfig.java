package io.tidelog.broker.log;

/**
 * Broker-wide settings of the log cleaner (the per-topic ones live in {@link LogConfig}).
 *
 * @param enabled           {@code log.cleaner.enable}: run the cleaner at all. Default true.
 * @param threads           {@code log.cleaner.threads}: cleaner threads; each cleans one log at a time. Default 1.
 * @param backoffMs         {@code log.cleaner.backoff.ms}: how long a cleaner thread waits when no log
 *                          is cleanable. Default 15000.
 * @param dedupeBufferBytes {@code log.cleaner.dedupe.buffer.size}: offset-map memory shared by all
 *                          threads (24 bytes per key at most 90 % full). Default 16 MiB.
 */
public record CleanerConfig(boolean enabled, int threads, long backoffMs, long dedupeBufferBytes) {

    public static final int DEFAULT_THREADS = 1;
    public static final long DEFAULT_BACKOFF_MS = 15_000L;
    public static final long DEFAULT_DEDUPE_BUFFER_BYTES = 16L * 1024 * 1024;
    /** Smallest offset map worth having: a few thousand keys per thread. */
    public static final long MIN_DEDUPE_BUFFER_BYTES = 64L * 1024;

    public CleanerConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("Invalid value " + threads + " for configuration log.cleaner.threads: "
                    + "must be at least 1");
        }
        if (backoffMs < 1) {
            throw new IllegalArgumentException("Invalid value " + backoffMs
                    + " for configuration log.cleaner.backoff.ms: must be at least 1");
        }
        if (dedupeBufferBytes / threads < MIN_DEDUPE_BUFFER_BYTES) {
            throw new IllegalArgumentException("Invalid value " + dedupeBufferBytes
                    + " for configuration log.cleaner.dedupe.buffer.size: must give each of the " + threads
                    + " cleaner threads at least " + MIN_DEDUPE_BUFFER_BYTES + " bytes");
        }
    }

    public static CleanerConfig defaults() {
        return new CleanerConfig(true, DEFAULT_THREADS, DEFAULT_BACKOFF_MS, DEFAULT_DEDUPE_BUFFER_BYTES);
    }

    public static CleanerConfig disabled() {
        return new CleanerConfig(false, DEFAULT_THREADS, DEFAULT_BACKOFF_MS, DEFAULT_DEDUPE_BUFFER_BYTES);
    }
}

package io.tidelog.broker.log;

/** The first record at or after a searched timestamp: its timestamp and offset. */
public record TimestampOffset(long timestamp, long offset) {
}

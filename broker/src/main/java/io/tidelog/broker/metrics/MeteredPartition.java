package io.tidelog.broker.metrics;

/**
 * What the per-partition gauges read at scrape time. Implementations publish these values through
 * volatiles (or compute them without locks), because scrapes run on the endpoint's thread while
 * the partition's owner thread appends.
 */
public interface MeteredPartition {

    long logEndOffset();

    long highWatermark();

    long logStartOffset();

    int segmentCount();

    /** Bytes in the partition's live segments. */
    long sizeInBytes();
}

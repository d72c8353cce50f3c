package io.tidelog.perf.load;

/** Measured records and bytes over the measured seconds (warm-up excluded). MB are 10^6 bytes. */
public record Throughput(long records, long bytes, double seconds) {

    public double recordsPerSecond() {
        return seconds > 0 ? records / seconds : 0;
    }

    public double megabytesPerSecond() {
        return seconds > 0 ? bytes / seconds / 1e6 : 0;
    }
}

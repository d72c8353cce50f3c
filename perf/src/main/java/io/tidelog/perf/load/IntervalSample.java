package io.tidelog.perf.load;

/**
 * One sampling interval (about a second) of a run, warm-up included: what completed in it.
 * {@code elapsedSeconds} is the interval's end since the run started. Latencies are NaN when
 * nothing completed. Produce latency is acknowledgement latency; e2e latency is produce-to-consume.
 */
public record IntervalSample(double elapsedSeconds, double intervalSeconds, boolean warmup, long produced,
                             long producedBytes, double produceP50Ms, double produceP99Ms, long consumed,
                             long consumedBytes, double e2eP50Ms, double e2eP99Ms) {

    public double producedPerSecond() {
        return produced / intervalSeconds;
    }

    public double producedMegabytesPerSecond() {
        return producedBytes / intervalSeconds / 1e6;
    }

    public double consumedPerSecond() {
        return consumed / intervalSeconds;
    }

    public double consumedMegabytesPerSecond() {
        return consumedBytes / intervalSeconds / 1e6;
    }
}

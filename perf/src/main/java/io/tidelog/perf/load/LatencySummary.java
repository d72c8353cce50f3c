package io.tidelog.perf.load;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The latency distribution of a run in milliseconds: the headline percentiles and the whole
 * percentile curve (HdrHistogram's percentile iteration, 5 steps per halving of the remaining
 * tail), which the HTML report plots.
 */
public record LatencySummary(long count, double mean, double p50, double p90, double p99, double p999, double p9999,
                             double max, List<Point> distribution) {

    public LatencySummary {
        distribution = List.copyOf(distribution);
    }

    /** {@code percentile} in [0, 100], {@code valueMs} the latency at or below which that share of records completed. */
    public record Point(double percentile, double valueMs) {
    }

    /** Summarises {@code micros}, a histogram of microseconds. */
    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0, List.of());
        }
        List<Point> points = new ArrayList<>();
        for (HistogramIterationValue v : micros.percentiles(5)) {
            points.add(new Point(v.getPercentileLevelIteratedTo(), LatencyStats.millis(v.getValueIteratedTo())));
        }
        return new LatencySummary(micros.getTotalCount(), micros.getMean() / 1000.0,
                at(micros, 50), at(micros, 90), at(micros, 99), at(micros, 99.9), at(micros, 99.99),
                LatencyStats.millis(micros.getMaxValue()), points);
    }

    private static double at(Histogram h, double percentile) {
        return LatencyStats.millis(h.getValueAtPercentile(percentile));
    }
}

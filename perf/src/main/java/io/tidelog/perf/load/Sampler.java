package io.tidelog.perf.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Takes one {@link IntervalSample} per tick from the produce and consume {@link LatencyStats},
 * keeps them as the run's timeline, and prints the progress line. Used by one thread only.
 */
final class Sampler {

    private final LatencyStats produce;
    private final LatencyStats consume;
    private final boolean e2e;
    private final long startNanos;
    private final long warmupEndNanos;
    private final PrintStream progress;
    private final List<IntervalSample> timeline = new ArrayList<>();
    private long lastSampleNanos;

    /** {@code progress} null: no progress lines. */
    Sampler(LatencyStats produce, LatencyStats consume, boolean e2e, long startNanos, long warmupEndNanos,
            PrintStream progress) {
        this.produce = produce;
        this.consume = consume;
        this.e2e = e2e;
        this.startNanos = startNanos;
        this.lastSampleNanos = startNanos;
        this.warmupEndNanos = warmupEndNanos;
        this.progress = progress;
    }

    /** Closes the interval ending at {@code nowNanos}. An empty interval shorter than 10 ms is dropped. */
    void sample(long nowNanos) {
        LatencyStats.Interval p = produce.sample();
        LatencyStats.Interval c = consume.sample();
        double seconds = (nowNanos - lastSampleNanos) / 1e9;
        if (seconds < 0.01 && p.records() == 0 && c.records() == 0) {
            return;
        }
        // an interval that began during the warm-up is marked warm-up (its records are partly warm-up)
        boolean warmup = lastSampleNanos - warmupEndNanos < 0;
        lastSampleNanos = nowNanos;
        IntervalSample s = new IntervalSample((nowNanos - startNanos) / 1e9, seconds, warmup,
                p.records(), p.bytes(), p.p50Ms(), p.p99Ms(), c.records(), c.bytes(),
                e2e ? c.p50Ms() : Double.NaN, e2e ? c.p99Ms() : Double.NaN);
        timeline.add(s);
        if (progress != null) {
            progress.println(line(s));
            progress.flush();
        }
    }

    private String line(IntervalSample s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%6.1fs", s.elapsedSeconds()));
        if (s.produced() > 0 || s.consumed() == 0) {
            b.append(String.format(Locale.ROOT, "  produced %,10.0f rec/s %8.2f MB/s  p50 %s  p99 %s",
                    s.producedPerSecond(), s.producedMegabytesPerSecond(), ms(s.produceP50Ms()), ms(s.produceP99Ms())));
        }
        if (s.consumed() > 0) {
            b.append(String.format(Locale.ROOT, "  consumed %,10.0f rec/s %8.2f MB/s",
                    s.consumedPerSecond(), s.consumedMegabytesPerSecond()));
            if (e2e) {
                b.append("  e2e p50 ").append(ms(s.e2eP50Ms())).append("  p99 ").append(ms(s.e2eP99Ms()));
            }
        }
        if (s.warmup()) {
            b.append("  (warm-up)");
        }
        return b.toString();
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "    - ms" : String.format(Locale.ROOT, "%.2f ms", v);
    }

    List<IntervalSample> timeline() {
        return timeline;
    }
}

package io.tidelog.perf.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies and throughput of one flow (acknowledgements, or produce-to-consume), recorded from
 * any number of threads and read by one sampling thread.
 *
 * <p>A record whose start time is before {@link #measureFrom(long)} belongs to the warm-up: it
 * shows in the per-second samples but never in {@link #total()} nor in the measured counts.
 * Latencies are kept in microseconds, so the histograms hold from 1 µs to hours with three
 * significant digits.
 *
 * <p>Threading: {@link #record} from any thread; {@link #sample}, {@link #total} and
 * {@link #measuredBytes} from the one sampling thread only.
 */
public final class LatencyStats {

    private final Recorder warmupRecorder = new Recorder(3);
    private final Recorder measuredRecorder = new Recorder(3);
    private final LongAdder warmupBytes = new LongAdder();
    private final LongAdder measuredBytes = new LongAdder();
    private final LongAccumulator lastMeasuredEnd = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final Histogram total = new Histogram(3);
    private volatile long measureFromNanos = Long.MIN_VALUE;
    private Histogram warmupInterval;
    private Histogram measuredInterval;
    private long bytesSampledSoFar;

    /** Records whose start is before {@code nanos} are warm-up. */
    public void measureFrom(long nanos) {
        measureFromNanos = nanos;
    }

    public long measureFromNanos() {
        return measureFromNanos;
    }

    /** One record that started (was due, or was sent) at {@code startNanos} and completed at {@code endNanos}. */
    public void record(long startNanos, long endNanos, int bytes) {
        long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(endNanos - startNanos));
        if (startNanos < measureFromNanos) {
            warmupRecorder.recordValue(micros);
            warmupBytes.add(bytes);
        } else {
            measuredRecorder.recordValue(micros);
            measuredBytes.add(bytes);
            lastMeasuredEnd.accumulate(endNanos);
        }
    }

    /** What was recorded since the previous sample, warm-up included; adds the measured part to the total. */
    public Interval sample() {
        warmupInterval = warmupRecorder.getIntervalHistogram(warmupInterval);
        measuredInterval = measuredRecorder.getIntervalHistogram(measuredInterval);
        total.add(measuredInterval);
        Histogram both = measuredInterval.copy();
        both.add(warmupInterval);
        long bytesNow = warmupBytes.sum() + measuredBytes.sum();
        long bytes = bytesNow - bytesSampledSoFar;
        bytesSampledSoFar = bytesNow;
        return new Interval(both.getTotalCount(), bytes, both.getTotalCount() == 0 ? Double.NaN : millis(both.getValueAtPercentile(50)),
                both.getTotalCount() == 0 ? Double.NaN : millis(both.getValueAtPercentile(99)), warmupInterval.getTotalCount());
    }

    /** Every measured latency sampled so far (microseconds). */
    public Histogram total() {
        return total;
    }

    public long measuredBytes() {
        return measuredBytes.sum();
    }

    /** Completion time of the last measured record, or {@code Long.MIN_VALUE} if none. */
    public long lastMeasuredEndNanos() {
        return lastMeasuredEnd.get();
    }

    static double millis(long micros) {
        return micros / 1000.0;
    }

    /** One sampling period: records and bytes completed in it, their median and 99th percentile in ms. */
    public record Interval(long records, long bytes, double p50Ms, double p99Ms, long warmupRecords) {
    }
}

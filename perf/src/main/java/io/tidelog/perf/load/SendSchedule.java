package io.tidelog.perf.load;

/**
 * When each record of one producer should be sent. At a fixed rate record {@code i} is due at
 * {@code start + i / rate}, whatever happened to the records before it: a producer that stalls
 * falls behind and then sends the queued records back to back, and each one's latency is measured
 * from its due time, so the stall shows in the results (the coordinated-omission correction). At
 * max rate nothing is due at any particular time.
 */
public final class SendSchedule {

    private final long startNanos;
    private final double intervalNanos;

    private SendSchedule(long startNanos, double intervalNanos) {
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
    }

    /** {@code recordsPerSecond} evenly spaced sends from {@code startNanos}. */
    public static SendSchedule fixedRate(long startNanos, double recordsPerSecond) {
        if (!(recordsPerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + recordsPerSecond);
        }
        return new SendSchedule(startNanos, 1e9 / recordsPerSecond);
    }

    /** Sends as fast as the producer takes them. */
    public static SendSchedule maxRate(long startNanos) {
        return new SendSchedule(startNanos, 0);
    }

    public boolean paced() {
        return intervalNanos > 0;
    }

    public long startNanos() {
        return startNanos;
    }

    /** The due time of record {@code index}, counted from 0; only for {@link #paced()} schedules. */
    public long intendedNanos(long index) {
        return startNanos + (long) (index * intervalNanos);
    }
}

package io.tidelog.broker;

/**
 * The broker's clock. Everything that depends on time (segment roll, retention, flush, timeouts)
 * takes a {@code Time} so tests and simulations can drive it instead of waiting.
 */
public interface Time {

    /** Wall-clock milliseconds since the epoch; used for timestamps and retention. */
    long milliseconds();

    /** Monotonic nanoseconds; used for durations and deadlines. */
    long nanoseconds();

    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };
}

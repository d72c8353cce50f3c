package io.tidelog.client.common;

/** Milliseconds for linger, backoff and timeouts; injectable so tests control time. */
@FunctionalInterface
public interface Clock {

    /** Monotonic milliseconds since this class loaded: never negative, unlike raw nanoTime. */
    Clock SYSTEM = new Clock() {
        private final long origin = System.nanoTime();

        @Override
        public long milliseconds() {
            return (System.nanoTime() - origin) / 1_000_000L;
        }
    };

    /** Monotonic, non-negative milliseconds (not wall-clock time). */
    long milliseconds();
}

package io.tidelog.perf.load;

import java.util.concurrent.locks.LockSupport;

/** Monotonic nanoseconds and pacing; injectable so tests drive time without sleeping. */
public interface NanoClock {

    /** {@link System#nanoTime()} and {@link LockSupport#parkNanos(long)}. */
    NanoClock SYSTEM = new NanoClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkUntil(long deadlineNanos) {
            long remaining;
            while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(remaining);
            }
        }
    };

    long nanoTime();

    /** Returns once {@link #nanoTime()} is at or past {@code deadlineNanos}; at once if it already is. */
    void parkUntil(long deadlineNanos);
}

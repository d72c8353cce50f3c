package io.tidelog.client.producer;

/** Milliseconds for linger, backoff and timeouts; injectable so tests control time. */
@FunctionalInterface
interface Clock {

    Clock SYSTEM = () -> System.nanoTime() / 1_000_000L;

    /** Monotonic milliseconds (not wall-clock time). */
    long milliseconds();
}

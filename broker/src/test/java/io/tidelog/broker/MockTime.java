package io.tidelog.broker;

import java.util.concurrent.atomic.AtomicLong;

/** A {@link Time} tests advance by hand; starts at a fixed wall-clock instant. */
public final class MockTime implements Time {

    private final AtomicLong millis;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    public MockTime() {
        this(1_700_000_000_000L);
    }

    public MockTime(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    @Override
    public long milliseconds() {
        return millis.get();
    }

    @Override
    public long nanoseconds() {
        return nanos.get();
    }

    /** Moves both clocks forward. */
    public void sleep(long ms) {
        millis.addAndGet(ms);
        nanos.addAndGet(ms * 1_000_000L);
    }
}

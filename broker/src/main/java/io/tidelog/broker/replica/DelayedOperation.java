package io.tidelog.broker.replica;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request parked until a condition holds or its deadline passes (long-poll fetch, acks=all
 * produce). Completed exactly once, by whichever comes first: {@link #tryComplete()} finding the
 * condition true (called when a watched partition changes), the timer, or a shutdown.
 *
 * <p>Subclasses implement {@link #isSatisfied()} (no side effects; may run on any thread and
 * concurrently) and {@link #onComplete(boolean)} (runs exactly once).
 */
public abstract class DelayedOperation {

    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile ScheduledFuture<?> timer;
    private final AtomicReference<Runnable> unwatch = new AtomicReference<>();

    /** True when the operation can answer now. */
    protected abstract boolean isSatisfied();

    /** Builds and sends the answer; {@code expired} when the deadline passed first. */
    protected abstract void onComplete(boolean expired);

    public final boolean isCompleted() {
        return completed.get();
    }

    /** Completes if the condition holds; returns whether this operation is now completed. */
    public final boolean tryComplete() {
        if (completed.get()) {
            return true;
        }
        return isSatisfied() && forceComplete(false);
    }

    /** Completes now whatever the condition; returns false if it was already completed. */
    public final boolean forceComplete(boolean expired) {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> scheduled = timer;
        if (scheduled != null && !expired) {
            scheduled.cancel(false);
        }
        try {
            onComplete(expired);
        } finally {
            runUnwatchOnce();
        }
        return true;
    }

    /** Registered by the purgatory: removes this operation from every watch list once it completes. */
    void setUnwatch(Runnable hook) {
        unwatch.set(hook);
        if (completed.get()) {
            runUnwatchOnce();
        }
    }

    private void runUnwatchOnce() {
        Runnable hook = unwatch.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
    }

    void setTimer(ScheduledFuture<?> timer) {
        this.timer = timer;
        if (completed.get()) {
            timer.cancel(false);
        }
    }
}

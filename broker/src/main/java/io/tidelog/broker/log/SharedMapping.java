package io.tidelog.broker.log;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MappedFile} shared between its owner and short-lived readers (index lookups, the
 * flusher). The owner holds one reference from creation; each reader brackets its access with
 * {@link #tryAcquire()} / {@link #release()}. The mapping is closed when the count reaches zero,
 * so it is never unmapped under a reader: the invariant that keeps the JVM from crashing.
 */
final class SharedMapping {

    private final MappedFile file;
    private final AtomicInteger refs = new AtomicInteger(1);

    SharedMapping(MappedFile file) {
        this.file = file;
    }

    MappedFile file() {
        return file;
    }

    /** False once the mapping is released by everyone: the caller must not touch it. */
    boolean tryAcquire() {
        while (true) {
            int current = refs.get();
            if (current == 0) {
                return false;
            }
            if (refs.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            file.close();
        } else if (left < 0) {
            throw new IllegalStateException("mapping of " + file.path() + " released more often than acquired");
        }
    }
}

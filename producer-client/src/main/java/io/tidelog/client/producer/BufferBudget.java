package io.tidelog.client.producer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code buffer.memory}: the bytes that queued and in-flight batches may hold. A new batch
 * reserves its capacity before it is created and gives it back when it completes. Senders that
 * find the budget spent wait (fairly, in arrival order) up to {@code max.block.ms}.
 *
 * <p>Invariant: 0 ≤ available ≤ total; available + reserved by live batches = total.
 */
final class BufferBudget {

    private final long total;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition released = lock.newCondition();
    private long available;
    private int waiters;

    BufferBudget(long total) {
        this.total = total;
        this.available = total;
    }

    /**
     * Reserves {@code bytes}, waiting up to {@code maxWaitMs}.
     *
     * @throws ProducerTimeoutException when the memory did not free up in time
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void reserve(int bytes, long maxWaitMs) throws InterruptedException {
        if (bytes > total) {
            throw new RecordTooLargeException("a batch of " + bytes + " bytes is larger than buffer.memory="
                    + total + "; raise buffer.memory or lower batch.size/max.request.size");
        }
        long remainingNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        lock.lock();
        try {
            waiters++;
            try {
                while (available < bytes) {
                    if (remainingNanos <= 0) {
                        throw new ProducerTimeoutException("buffer.memory=" + total + " bytes stayed full for "
                                + maxWaitMs + " ms (max.block.ms): the producer is sending slower than records "
                                + "arrive; check the brokers are reachable, or raise buffer.memory/max.block.ms");
                    }
                    remainingNanos = released.awaitNanos(remainingNanos);
                }
                available -= bytes;
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    void release(int bytes) {
        lock.lock();
        try {
            available += bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True while some sender waits for memory: the sender should ship batches without lingering. */
    boolean exhausted() {
        lock.lock();
        try {
            return waiters > 0;
        } finally {
            lock.unlock();
        }
    }

    long available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }

    long total() {
        return total;
    }
}

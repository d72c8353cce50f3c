package io.tidelog.broker.network;

/**
 * Counts requests received and not yet answered across all connections, so a graceful shutdown
 * can wait (bounded) until everything in flight has been answered; and connections currently
 * paused by backpressure (for operators and tests).
 */
final class InFlightTracker {

    private int count;
    private int pausedConnections;

    /** A connection stopped (+1) or resumed (-1) reading because of backpressure. */
    synchronized void pausedChanged(int delta) {
        pausedConnections += delta;
    }

    synchronized int pausedConnections() {
        return pausedConnections;
    }

    synchronized void increment() {
        count++;
    }

    synchronized void decrement() {
        if (--count == 0) {
            notifyAll();
        }
    }

    synchronized int count() {
        return count;
    }

    /** Waits until nothing is in flight or the deadline passes; returns whether it drained. */
    synchronized boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (count > 0) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000L;
            if (remainingMillis <= 0) {
                return false;
            }
            wait(remainingMillis);
        }
        return true;
    }
}

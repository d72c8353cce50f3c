package io.tidelog.broker.replica;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "purgatory": parked operations watched by partition. A change to a partition (append,
 * high-water mark move, truncation, deletion) calls {@link #checkAndComplete(TopicPartition)},
 * which completes every watcher whose condition now holds. Each operation also has a timer.
 *
 * <p>Invariants: an operation is watched before its condition is checked the second time, so a
 * change that lands between the first check and the watch is never missed; a completed
 * operation (however it completed) is removed from every watch list, so idle partitions do not
 * accumulate expired long polls.
 */
public final class DelayedOperations {

    private final String name;
    private final ScheduledExecutorService timers;
    private final Map<TopicPartition, Queue<DelayedOperation>> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger parked = new AtomicInteger();

    public DelayedOperations(String name, ScheduledExecutorService timers) {
        this.name = name;
        this.timers = timers;
    }

    /**
     * Completes {@code operation} now if it can; otherwise parks it on {@code keys} until a change
     * satisfies it or {@code timeoutMillis} passes. Returns whether it completed right away.
     */
    public boolean tryCompleteElseWatch(DelayedOperation operation, List<TopicPartition> keys, long timeoutMillis) {
        if (operation.tryComplete()) {
            return true;
        }
        parked.incrementAndGet();
        for (TopicPartition key : keys) {
            watchers.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(operation);
        }
        operation.setUnwatch(() -> unwatch(operation, keys));
        if (operation.tryComplete()) {
            return true;
        }
        operation.setTimer(timers.schedule(() -> {
            operation.forceComplete(true);
        }, Math.max(0, timeoutMillis), TimeUnit.MILLISECONDS));
        return false;
    }

    /** Completes the operations watching {@code key} whose condition now holds; drops completed ones. */
    public void checkAndComplete(TopicPartition key) {
        Queue<DelayedOperation> queue = watchers.get(key);
        if (queue == null || queue.isEmpty()) {
            return;
        }
        for (DelayedOperation operation : queue) {
            operation.tryComplete();
        }
    }

    private void unwatch(DelayedOperation operation, List<TopicPartition> keys) {
        for (TopicPartition key : keys) {
            Queue<DelayedOperation> queue = watchers.get(key);
            if (queue != null) {
                queue.remove(operation);
            }
        }
        parked.decrementAndGet();
    }

    /** Answers every parked operation now (shutdown): each replies with what it has. */
    public void completeAll() {
        for (Queue<DelayedOperation> queue : watchers.values()) {
            for (DelayedOperation operation : queue.toArray(new DelayedOperation[0])) {
                operation.forceComplete(true);
            }
        }
    }

    /** Number of operations parked and not yet completed. */
    public int parkedCount() {
        return parked.get();
    }

    @Override
    public String toString() {
        return "DelayedOperations(" + name + ")";
    }
}

package io.tidelog.client.producer;

import io.tidelog.client.common.Clock;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.record.Header;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-partition queues of {@link ProducerBatch}es. Application threads append to the last batch
 * of a partition's queue (creating a batch after reserving its memory from the
 * {@link BufferBudget}); the sender takes ready batches from the head.
 *
 * <p>A partition's head batch is <em>ready</em> when it is full, or a later batch exists, or it
 * lingered {@code linger.ms}, or a flush or close is in progress, or memory is exhausted — and a
 * retried batch has served its backoff. Invariants: a queue's batches are in append order, except
 * that retried batches go back to the head in sequence order; each queue is guarded by its own
 * monitor; every batch created is in {@link #incomplete} until it completes or fails.
 */
final class RecordAccumulator {

    /**
     * What an append did, so the caller can wake the sender and move the sticky partition: the
     * record went into an open batch (which may now be full), into a new batch because the open
     * one was full, or into the partition's first queued batch.
     */
    enum AppendResult {
        APPENDED, APPENDED_BATCH_FULL, APPENDED_NEW_BATCH_AFTER_FULL, APPENDED_NEW_BATCH;

        /** True when a batch of the partition filled up: null-key records should move on. */
        boolean batchCompleted() {
            return this == APPENDED_BATCH_FULL || this == APPENDED_NEW_BATCH_AFTER_FULL;
        }
    }

    private final int batchSize;
    private final long lingerMs;
    private final BufferBudget budget;
    private final Clock clock;
    private final ConcurrentHashMap<TopicPartition, Deque<ProducerBatch>> queues = new ConcurrentHashMap<>();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private final AtomicInteger flushesInProgress = new AtomicInteger();
    private final Runnable onMemoryShort;
    private volatile boolean closing;

    RecordAccumulator(int batchSize, long lingerMs, BufferBudget budget, Clock clock, Runnable onMemoryShort) {
        this.onMemoryShort = onMemoryShort;
        this.batchSize = batchSize;
        this.lingerMs = lingerMs;
        this.budget = budget;
        this.clock = clock;
    }

    /**
     * Appends one record to {@code tp}'s open batch, or to a new batch whose memory is reserved
     * first, waiting up to {@code maxBlockMs} for it.
     */
    AppendResult append(TopicPartition tp, long timestamp, byte[] key, byte[] value, List<Header> headers,
                        CompletableFuture<RecordMetadata> future, Callback callback, long maxBlockMs)
            throws InterruptedException {
        Deque<ProducerBatch> queue = queues.computeIfAbsent(tp, k -> new ArrayDeque<>());
        synchronized (queue) {
            AppendResult result = tryAppendToLast(queue, timestamp, key, value, headers, future, callback);
            if (result != null) {
                return result;
            }
        }
        int reserve = Math.max(batchSize, RecordSize.aloneInBatch(key, value, headers));
        if (budget.available() < reserve) {
            onMemoryShort.run();
        }
        budget.reserve(reserve, maxBlockMs);
        synchronized (queue) {
            AppendResult result = tryAppendToLast(queue, timestamp, key, value, headers, future, callback);
            if (result != null) {
                budget.release(reserve);
                return result;
            }
            boolean previousFull = !queue.isEmpty();
            ProducerBatch batch = new ProducerBatch(tp, batchSize, reserve, clock.milliseconds());
            batch.tryAppend(timestamp, key, value, headers, future, callback);
            queue.addLast(batch);
            incomplete.add(batch);
            return previousFull ? AppendResult.APPENDED_NEW_BATCH_AFTER_FULL : AppendResult.APPENDED_NEW_BATCH;
        }
    }

    private static AppendResult tryAppendToLast(Deque<ProducerBatch> queue, long timestamp, byte[] key,
                                                byte[] value, List<Header> headers,
                                                CompletableFuture<RecordMetadata> future, Callback callback) {
        ProducerBatch last = queue.peekLast();
        if (last == null || !last.tryAppend(timestamp, key, value, headers, future, callback)) {
            return null;
        }
        return last.isFull() ? AppendResult.APPENDED_BATCH_FULL : AppendResult.APPENDED;
    }

    /** The partitions that have queued batches. */
    Set<TopicPartition> partitions() {
        return queues.keySet();
    }

    /**
     * The head batch of {@code tp} if it is ready at {@code nowMs} and {@code accept} takes it;
     * the batch is then removed from the queue.
     */
    ProducerBatch pollReady(TopicPartition tp, long nowMs, java.util.function.Predicate<ProducerBatch> accept) {
        Deque<ProducerBatch> queue = queues.get(tp);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            ProducerBatch head = queue.peekFirst();
            if (head == null || !isReady(head, queue.size(), nowMs) || !accept.test(head)) {
                return null;
            }
            return queue.pollFirst();
        }
    }

    /** The head batch of {@code tp} without removing it (for ordering decisions), or null. */
    ProducerBatch peekHead(TopicPartition tp) {
        Deque<ProducerBatch> queue = queues.get(tp);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            return queue.peekFirst();
        }
    }

    private boolean isReady(ProducerBatch head, int queued, long nowMs) {
        if (head.attempts() > 0) {
            return nowMs >= head.retryNotBeforeMs();
        }
        return queued > 1 || head.isFull() || nowMs - head.createdMs >= lingerMs || closing
                || flushesInProgress.get() > 0 || budget.exhausted();
    }

    /**
     * Milliseconds until a head batch that is not ready yet becomes ready by time alone (linger or
     * backoff). Heads already ready are left out: they were sent, or wait for a network event
     * (a response, a connection, metadata) that wakes the sender anyway, so counting them would
     * make the sender spin.
     */
    long nextReadyDelayMs(long nowMs, long maxDelayMs) {
        long delay = maxDelayMs;
        for (Deque<ProducerBatch> queue : queues.values()) {
            synchronized (queue) {
                ProducerBatch head = queue.peekFirst();
                if (head == null) {
                    continue;
                }
                long readyAt = head.attempts() > 0 ? head.retryNotBeforeMs() : head.createdMs + lingerMs;
                if (readyAt > nowMs) {
                    delay = Math.min(delay, readyAt - nowMs);
                }
            }
        }
        return delay;
    }

    /**
     * Puts batches that must be sent again back at the head of their queue, keeping sequence
     * order ahead of batches not yet sent.
     */
    void reenqueue(ProducerBatch batch) {
        Deque<ProducerBatch> queue = queues.computeIfAbsent(batch.topicPartition, k -> new ArrayDeque<>());
        synchronized (queue) {
            List<ProducerBatch> retried = new ArrayList<>();
            while (!queue.isEmpty() && queue.peekFirst().hasSequence()
                    && queue.peekFirst().baseSequence() < batch.baseSequence()) {
                retried.add(queue.pollFirst());
            }
            queue.addFirst(batch);
            for (int i = retried.size() - 1; i >= 0; i--) {
                queue.addFirst(retried.get(i));
            }
        }
    }

    /** Replaces a batch the broker refused as too large by its parts, queued ahead in sequence order. */
    void replaceBySplit(ProducerBatch original, List<ProducerBatch> parts, long retryNotBeforeMs) {
        incomplete.remove(original);
        for (int i = parts.size() - 1; i >= 0; i--) {
            ProducerBatch part = parts.get(i);
            incomplete.add(part);
            part.backOffUntil(retryNotBeforeMs);
        }
        // Last part first: each goes to the head, so the parts end up in order ahead of the rest.
        for (int i = parts.size() - 1; i >= 0; i--) {
            reenqueue(parts.get(i));
        }
    }

    /** Queued batches already sent once, in queue order (for re-stamping after an epoch bump). */
    List<ProducerBatch> queuedWithSequence(TopicPartition tp) {
        Deque<ProducerBatch> queue = queues.get(tp);
        List<ProducerBatch> result = new ArrayList<>();
        if (queue != null) {
            synchronized (queue) {
                for (ProducerBatch batch : queue) {
                    if (batch.hasSequence()) {
                        result.add(batch);
                    }
                }
            }
        }
        return result;
    }

    /** Removes and returns queued batches older than {@code deliveryTimeoutMs} (not in flight). */
    List<ProducerBatch> expire(long nowMs, long deliveryTimeoutMs) {
        List<ProducerBatch> expired = new ArrayList<>();
        for (Deque<ProducerBatch> queue : queues.values()) {
            synchronized (queue) {
                Iterator<ProducerBatch> it = queue.iterator();
                while (it.hasNext()) {
                    ProducerBatch batch = it.next();
                    if (nowMs - batch.createdMs >= deliveryTimeoutMs) {
                        it.remove();
                        expired.add(batch);
                    }
                }
            }
        }
        return expired;
    }

    /** Removes every queued batch (close after its timeout). */
    List<ProducerBatch> drainAll() {
        List<ProducerBatch> all = new ArrayList<>();
        for (Map.Entry<TopicPartition, Deque<ProducerBatch>> entry : queues.entrySet()) {
            Deque<ProducerBatch> queue = entry.getValue();
            synchronized (queue) {
                all.addAll(queue);
                queue.clear();
            }
        }
        return all;
    }

    /** A batch completed or failed: its memory goes back to the budget. Called once per batch. */
    void deallocate(ProducerBatch batch) {
        if (incomplete.remove(batch)) {
            budget.release(batch.reservedBytes);
        }
    }

    boolean hasQueued() {
        for (Deque<ProducerBatch> queue : queues.values()) {
            synchronized (queue) {
                if (!queue.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean hasIncomplete() {
        return !incomplete.isEmpty();
    }

    void beginFlush() {
        flushesInProgress.incrementAndGet();
    }

    void endFlush() {
        flushesInProgress.decrementAndGet();
    }

    /** Snapshot of the batches not completed yet, for flush to wait on. */
    List<ProducerBatch> incompleteBatches() {
        return new ArrayList<>(incomplete);
    }

    void beginClose() {
        closing = true;
    }

    int batchSize() {
        return batchSize;
    }
}

package io.tidelog.perf.load;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.client.consumer.Consumer;
import io.tidelog.client.consumer.ConsumerRecord;
import io.tidelog.client.consumer.ConsumerRecords;
import io.tidelog.client.consumer.WakeupException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One consumer thread: reads its assigned partitions from their beginning or their end, records
 * each record into {@link LatencyStats} (produce-to-consume latency for this run's records when
 * {@code e2e}; throughput only otherwise) and into the {@link DeliveryChecker}.
 *
 * <p>Ends at the first of: {@link #stop()}; {@code hardDeadlineNanos}; the shared consumed count
 * reaching {@code recordLimit}; or, once {@link #drain()} was called, every assigned partition's
 * position reaching the end offset it had when the drain began. {@link #ready()} opens once the
 * starting positions are fixed, so records produced after it are read.
 */
final class ConsumerLoop implements Runnable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final boolean fromBeginning;
    private final long runId;
    private final boolean e2e;
    private final NanoClock clock;
    private final LatencyStats stats;
    private final DeliveryChecker checker;
    private final AtomicLong consumedTotal;
    private final long recordLimit;
    private final long hardDeadlineNanos;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean stopped;
    private volatile boolean drainRequested;
    private volatile boolean drained;
    private long verifiedRunId;

    /**
     * @param runId  records of this run only count for latency and checking; 0 means "whichever run
     *               the first of our records read belongs to" (a consume-only run)
     */
    ConsumerLoop(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions, boolean fromBeginning, long runId,
                 boolean e2e, NanoClock clock, LatencyStats stats, DeliveryChecker checker, AtomicLong consumedTotal,
                 long recordLimit, long hardDeadlineNanos) {
        this.consumer = consumer;
        this.partitions = List.copyOf(partitions);
        this.fromBeginning = fromBeginning;
        this.runId = runId;
        this.verifiedRunId = runId;
        this.e2e = e2e;
        this.clock = clock;
        this.stats = stats;
        this.checker = checker;
        this.consumedTotal = consumedTotal;
        this.recordLimit = recordLimit;
        this.hardDeadlineNanos = hardDeadlineNanos;
    }

    @Override
    public void run() {
        try {
            position();
            ready.countDown();
            Map<TopicPartition, Long> drainTargets = null;
            while (!stopped && clock.nanoTime() - hardDeadlineNanos < 0 && consumedTotal.get() < recordLimit) {
                if (drainRequested && drainTargets == null) {
                    drainTargets = consumer.endOffsets(partitions);
                }
                if (drainTargets != null && reached(drainTargets)) {
                    drained = true;
                    break;
                }
                handle(consumer.poll(POLL));
            }
            if (consumedTotal.get() >= recordLimit) {
                drained = true; // read as many records as asked for: a normal end, like reaching the targets
            }
        } catch (WakeupException e) {
            if (!stopped) {
                failure.compareAndSet(null, e.toString());
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e.toString());
        } finally {
            ready.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void position() {
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        for (TopicPartition tp : partitions) {
            consumer.position(tp);
        }
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        for (Map.Entry<TopicPartition, Long> e : targets.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void handle(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            long now = clock.nanoTime();
            byte[] value = r.value();
            boolean ours = RecordPayload.hasHeader(value) && matchesRun(value);
            int bytes = value == null ? 0 : value.length;
            if (e2e) {
                if (ours) {
                    stats.record(RecordPayload.intendedNanos(value), now, bytes);
                }
            } else {
                stats.record(now, now, bytes);
            }
            if (ours && checker != null) {
                checker.consumed(r.partition(), r.offset(), RecordPayload.producerId(value), RecordPayload.sequence(value));
            }
        }
        consumedTotal.addAndGet(records.count());
    }

    private boolean matchesRun(byte[] value) {
        if (verifiedRunId == 0) {
            verifiedRunId = RecordPayload.runId(value);
        }
        return RecordPayload.runId(value) == verifiedRunId;
    }

    /** Opens once the starting positions are fixed (or the loop failed before). */
    CountDownLatch ready() {
        return ready;
    }

    /** Read on until the end offsets as of now, then stop. */
    void drain() {
        drainRequested = true;
    }

    /** Ends the loop at its next poll (or wakes the one in progress). Idempotent. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            // already closed by the loop itself: nothing to wake
        }
    }

    /** True if the loop ended normally: it reached the drain targets or the record limit. */
    boolean drained() {
        return drained;
    }

    /** What ended the loop abnormally, or null. */
    String failure() {
        return failure.get();
    }
}

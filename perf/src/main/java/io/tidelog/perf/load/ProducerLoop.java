package io.tidelog.perf.load;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One producer thread's send loop: builds each value ({@link RecordPayload} header + filler),
 * waits for its due time under a fixed-rate {@link SendSchedule}, sends it, and on completion
 * records its latency from the due time (fixed rate) or from the moment of the send call (max
 * rate) into {@link LatencyStats}, and its acknowledgement into the {@link DeliveryChecker}.
 *
 * <p>Stops after {@code quota} records, at {@code deadlineNanos}, or when {@link #stop()} is
 * called, whichever is first. Failed sends are counted, never retried by the loop.
 */
final class ProducerLoop implements Runnable {

    private final int producerId;
    private final long runId;
    private final long quota;
    private final long deadlineNanos;
    private final SendSchedule schedule;
    private final NanoClock clock;
    private final RecordSender sender;
    private final LatencyStats stats;
    private final DeliveryChecker checker;
    private final byte[] value;
    private final ByteBuffer header;
    private final LongAdder failures;
    private final AtomicReference<String> firstFailure;
    private volatile boolean stopped;
    private volatile long sent;

    ProducerLoop(int producerId, long runId, int recordSize, long quota, long deadlineNanos, SendSchedule schedule,
                 NanoClock clock, RecordSender sender, LatencyStats stats, DeliveryChecker checker,
                 LongAdder failures, AtomicReference<String> firstFailure) {
        this.producerId = producerId;
        this.runId = runId;
        this.quota = quota;
        this.deadlineNanos = deadlineNanos;
        this.schedule = schedule;
        this.clock = clock;
        this.sender = sender;
        this.stats = stats;
        this.checker = checker;
        // One buffer per thread: the producer copies the value into its batch during send().
        this.value = new byte[recordSize];
        this.header = ByteBuffer.wrap(value);
        this.failures = failures;
        this.firstFailure = firstFailure;
    }

    @Override
    public void run() {
        for (long sequence = 0; sequence < quota && !stopped; sequence++) {
            long startNanos;
            if (schedule.paced()) {
                startNanos = schedule.intendedNanos(sequence);
                if (startNanos - deadlineNanos >= 0) {
                    break;
                }
                clock.parkUntil(startNanos);
            } else {
                startNanos = clock.nanoTime();
                if (startNanos - deadlineNanos >= 0) {
                    break;
                }
            }
            RecordPayload.write(header, runId, producerId, sequence, startNanos);
            sender.send(value, new Completion(sequence, startNanos));
            sent = sequence + 1;
        }
    }

    void stop() {
        stopped = true;
    }

    /** Records handed to the producer so far. */
    long sent() {
        return sent;
    }

    private final class Completion implements RecordSender.SendCompletion {
        private final long sequence;
        private final long startNanos;

        Completion(long sequence, long startNanos) {
            this.sequence = sequence;
            this.startNanos = startNanos;
        }

        @Override
        public void acknowledged(int partition, long offset) {
            stats.record(startNanos, clock.nanoTime(), value.length);
            if (checker != null) {
                checker.acknowledged(producerId, sequence, partition, offset);
            }
        }

        @Override
        public void failed(Exception cause) {
            failures.increment();
            firstFailure.compareAndSet(null, "producer " + producerId + " sequence " + sequence + ": " + cause.getMessage());
        }
    }
}

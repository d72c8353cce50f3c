package io.tidelog.perf.load;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.client.producer.Producer;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs one {@link Workload}: sets up the topic, starts the consumers (e2e: positioned at the end
 * before anything is sent; consume: at the beginning), runs the producer threads, samples every
 * second, then lets the consumers drain and collects a {@link PerfResult}.
 *
 * <p>Phases, each bounded: positioning (60 s), producing ({@code records} or {@code duration}),
 * closing the producers and draining the consumers ({@code drain.timeout} each). With
 * {@code verify} in produce mode, a second set of consumers reads the topic from its beginning
 * after the producers closed, so every acknowledged record can be checked.
 */
public final class LoadRun {

    /** Test seam: called between the produce phase and the drain. */
    public interface Hooks {
        Hooks NONE = new Hooks() {
        };

        default void afterProduce(List<TopicPartition> partitions) throws Exception {
        }
    }

    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(60);
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Workload workload;
    private final PrintStream progress;
    private final NanoClock clock;
    private final Hooks hooks;
    private final ClientFactory clients;
    private final LatencyStats produceStats = new LatencyStats();
    private final LatencyStats consumeStats = new LatencyStats();
    private final LongAdder sendFailures = new LongAdder();
    private final AtomicReference<String> firstSendFailure = new AtomicReference<>();
    private final AtomicLong consumedTotal = new AtomicLong();
    private final DeliveryChecker checker;
    private final long runId = newRunId();
    private Sampler sampler;
    private long nextTickNanos;

    /** {@code progress} null: no per-second lines. */
    public LoadRun(Workload workload, PrintStream progress) {
        this(workload, progress, NanoClock.SYSTEM, Hooks.NONE);
    }

    LoadRun(Workload workload, PrintStream progress, NanoClock clock, Hooks hooks) {
        this.workload = workload;
        this.progress = progress;
        this.clock = clock;
        this.hooks = hooks;
        this.clients = new ClientFactory(workload);
        this.checker = workload.verify() ? new DeliveryChecker() : null;
    }

    public PerfResult execute() throws Exception {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Mode mode = workload.mode();
        if (mode != Mode.CONSUME && workload.createTopic()) {
            TopicSetup.ensure(workload);
        }
        List<TopicPartition> partitions = TopicSetup.partitions(workload, clock);
        long positionedBy = clock.nanoTime() + POSITION_TIMEOUT.toNanos();
        long consumerDeadline = positionedBy + workload.duration().toNanos() + 2 * workload.drainTimeout().toNanos();
        List<ConsumerLoop> consumers = new ArrayList<>();
        List<Thread> consumerThreads = new ArrayList<>();
        try {
            if (mode != Mode.PRODUCE) {
                startConsumers(partitions, mode == Mode.CONSUME, mode == Mode.E2E, consumerDeadline, consumers, consumerThreads);
                awaitReady(consumers, positionedBy);
            }

            List<Producer<byte[], byte[]>> producers = new ArrayList<>();
            if (mode != Mode.CONSUME) {
                for (int id = 0; id < workload.producers(); id++) {
                    producers.add(clients.producer(id));
                }
            }
            long start = clock.nanoTime();
            long warmupEnd = start + workload.warmup().toNanos();
            produceStats.measureFrom(warmupEnd);
            consumeStats.measureFrom(warmupEnd);
            sampler = new Sampler(produceStats, consumeStats, mode == Mode.E2E, start, warmupEnd, progress);
            nextTickNanos = start + TICK_NANOS;

            if (mode == Mode.CONSUME) {
                consumers.forEach(ConsumerLoop::drain);
            } else {
                produce(start, producers);
                hooks.afterProduce(partitions);
                if (mode == Mode.PRODUCE && checker != null) {
                    startConsumers(partitions, true, false, clock.nanoTime() + 2 * workload.drainTimeout().toNanos(),
                            consumers, consumerThreads);
                }
                consumers.forEach(ConsumerLoop::drain);
            }
            long drainDeadline = clock.nanoTime() + (mode == Mode.CONSUME ? workload.duration() : workload.drainTimeout()).toNanos();
            sampleUntilDone(consumerThreads, drainDeadline);
            consumers.forEach(ConsumerLoop::stop);
            for (Thread t : consumerThreads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            sampler.sample(clock.nanoTime());
            return result(startedAt, start, warmupEnd, consumers);
        } finally {
            // on a failure part-way, no consumer thread outlives the run
            consumers.forEach(ConsumerLoop::stop);
        }
    }

    /** Runs one thread per producer until each sent its share or the duration passed, then closes the producers. */
    private void produce(long start, List<Producer<byte[], byte[]>> producers) throws InterruptedException {
        int n = producers.size();
        long deadline = start + workload.duration().toNanos();
        List<ProducerLoop> loops = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(n);
        for (int id = 0; id < n; id++) {
            long quota = workload.records() / n + (id < workload.records() % n ? 1 : 0);
            SendSchedule schedule = workload.fixedRate()
                    ? SendSchedule.fixedRate(start, (double) workload.rate() / n) : SendSchedule.maxRate(start);
            Producer<byte[], byte[]> producer = producers.get(id);
            ProducerLoop loop = new ProducerLoop(id, runId, workload.recordSize(), quota, deadline, schedule, clock,
                    clients.sender(producer), produceStats, checker, sendFailures, firstSendFailure);
            loops.add(loop);
            Thread t = new Thread(() -> {
                try {
                    loop.run();
                } finally {
                    done.countDown();
                }
            }, "tidelog-perf-producer-" + id);
            t.setDaemon(true);
            t.start();
        }
        while (!done.await(untilNextTick(), TimeUnit.NANOSECONDS)) {
            tick();
            if (clock.nanoTime() - deadline > TICK_NANOS) {
                loops.forEach(ProducerLoop::stop);
            }
        }
        for (Producer<byte[], byte[]> producer : producers) {
            producer.close(workload.drainTimeout());
            tickIfDue();
        }
    }

    private void startConsumers(List<TopicPartition> partitions, boolean fromBeginning, boolean e2e, long deadline,
                                List<ConsumerLoop> loops, List<Thread> threads) {
        int n = Math.min(workload.consumers(), partitions.size());
        for (int id = 0; id < n; id++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int p = id; p < partitions.size(); p += n) {
                mine.add(partitions.get(p));
            }
            boolean drainOnly = !e2e && workload.mode() == Mode.PRODUCE;
            LatencyStats stats = drainOnly ? new LatencyStats() : consumeStats;
            long limit = workload.mode() == Mode.CONSUME ? workload.records() : Long.MAX_VALUE;
            ConsumerLoop loop = new ConsumerLoop(clients.consumer((drainOnly ? "drain-" : "consumer-") + id), mine,
                    fromBeginning, workload.mode() == Mode.CONSUME ? 0 : runId, e2e, clock, stats, checker,
                    drainOnly ? new AtomicLong() : consumedTotal, limit, deadline);
            if (drainOnly) {
                loop.drain();
            }
            Thread t = new Thread(loop, "tidelog-perf-" + (drainOnly ? "drain-" : "consumer-") + id);
            t.setDaemon(true);
            t.start();
            loops.add(loop);
            threads.add(t);
        }
    }

    private void awaitReady(List<ConsumerLoop> consumers, long deadline) throws InterruptedException {
        for (ConsumerLoop c : consumers) {
            long remaining = deadline - clock.nanoTime();
            if (!c.ready().await(Math.max(0, remaining), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("consumers could not find their starting positions within "
                        + POSITION_TIMEOUT.toSeconds() + " s; is " + workload.bootstrapServers() + " reachable?");
            }
        }
    }

    private void sampleUntilDone(List<Thread> threads, long deadline) throws InterruptedException {
        for (Thread t : threads) {
            while (t.isAlive() && clock.nanoTime() - deadline < 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(untilNextTick(), deadline - clock.nanoTime()))));
                tickIfDue();
            }
        }
    }

    private long untilNextTick() {
        return Math.max(0, nextTickNanos - clock.nanoTime());
    }

    private void tickIfDue() {
        if (clock.nanoTime() - nextTickNanos >= 0) {
            tick();
        }
    }

    private void tick() {
        long now = clock.nanoTime();
        sampler.sample(now);
        while (nextTickNanos - now <= 0) {
            nextTickNanos += TICK_NANOS;
        }
    }

    private PerfResult result(Instant startedAt, long start, long warmupEnd, List<ConsumerLoop> consumers) {
        Mode mode = workload.mode();
        long measuredFrom = Math.max(start, warmupEnd);
        Throughput produce = mode == Mode.CONSUME ? null : throughput(produceStats, measuredFrom);
        LatencySummary produceLatency = mode == Mode.CONSUME ? null : LatencySummary.of(produceStats.total());
        Throughput consume = mode == Mode.PRODUCE ? null : throughput(consumeStats, measuredFrom);
        LatencySummary e2e = mode == Mode.E2E ? LatencySummary.of(consumeStats.total()) : null;
        List<String> consumerFailures = new ArrayList<>();
        for (ConsumerLoop c : consumers) {
            if (c.failure() != null) {
                consumerFailures.add(c.failure());
            }
        }
        if (checker != null) {
            for (ConsumerLoop c : consumers) {
                if (!c.drained() && c.failure() == null) {
                    consumerFailures.add("a consumer did not reach the end offsets within drain.timeout="
                            + DurationParser.format(workload.drainTimeout()) + ": the lost count may include records still in flight");
                    break;
                }
            }
        }
        return new PerfResult(workload, startedAt.toString(), runId, (clock.nanoTime() - start) / 1e9,
                produce, produceLatency, sendFailures.sum(), firstSendFailure.get(), consume, e2e, consumerFailures,
                sampler.timeline(), checker == null ? null : checker.result());
    }

    private static Throughput throughput(LatencyStats stats, long measuredFrom) {
        long records = stats.total().getTotalCount();
        long last = stats.lastMeasuredEndNanos();
        double seconds = records == 0 || last == Long.MIN_VALUE ? 0 : Math.max(1e-9, (last - measuredFrom) / 1e9);
        return new Throughput(records, stats.measuredBytes(), seconds);
    }

    private static long newRunId() {
        long id;
        do {
            id = new SecureRandom().nextLong();
        } while (id == 0);
        return id;
    }
}

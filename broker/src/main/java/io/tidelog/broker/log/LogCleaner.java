package io.tidelog.broker.log;

import io.tidelog.broker.Time;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background cleaner: {@code log.cleaner.threads} daemon threads, each repeatedly picking the
 * compacted log with the highest dirty ratio at or above its {@code min.cleanable.dirty.ratio}
 * and cleaning it once ({@link LogCompactor}); with nothing to do a thread waits
 * {@code log.cleaner.backoff.ms} or until {@link #wakeup()}.
 *
 * <p>Invariants: a log is cleaned by at most one thread at a time; a log handed to
 * {@link #forget} is never picked again and no thread is cleaning it when forget returns.
 * Threads are never interrupted (an interrupt closes any FileChannel the thread is reading,
 * which would break the log); {@link #close()} asks them to stop between batches instead.
 */
public final class LogCleaner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);
    private static final long CLOSE_WAIT_MS = 30_000;

    private final CleanerConfig config;
    private final Supplier<Collection<PartitionLog>> logs;
    private final Time time;
    private final Object lock = new Object();
    private final Set<PartitionLog> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<PartitionLog> forgotten = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private boolean wakeupRequested;
    private long cleanings;

    /** @param logs the logs to consider, asked anew before each pick */
    public LogCleaner(CleanerConfig config, Supplier<Collection<PartitionLog>> logs, Time time) {
        this.config = config;
        this.logs = logs;
        this.time = time;
    }

    /** Starts the threads (none when disabled). */
    public void start() {
        if (!config.enabled()) {
            return;
        }
        long perThread = config.dedupeBufferBytes() / config.threads();
        for (int i = 0; i < config.threads(); i++) {
            LogCompactor compactor = new LogCompactor(perThread, time);
            Thread thread = new Thread(() -> run(compactor), "tidelog-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Makes waiting threads look for work now (e.g. after a topic became compacted). */
    public void wakeup() {
        synchronized (lock) {
            wakeupRequested = true;
            lock.notifyAll();
        }
    }

    /** Completed cleanings since start (that changed a log). */
    public long cleanings() {
        synchronized (lock) {
            return cleanings;
        }
    }

    /**
     * Never cleans {@code log} again and waits until no thread is cleaning it (a cleaning in
     * progress stops at its next batch). Call before closing or deleting the log.
     */
    public void forget(PartitionLog log) {
        synchronized (lock) {
            forgotten.add(log);
            long deadline = System.nanoTime() + CLOSE_WAIT_MS * 1_000_000;
            while (inProgress.contains(log) && System.nanoTime() < deadline) {
                waitQuietly(100);
            }
        }
    }

    private void run(LogCompactor compactor) {
        while (!stopping) {
            PartitionLog log = pick();
            if (log == null) {
                awaitWork(config.backoffMs());
                continue;
            }
            boolean failed = false;
            try {
                if (compactor.clean(log, false, step -> stopIfAsked(log, step)) != null) {
                    synchronized (lock) {
                        cleanings++;
                    }
                }
            } catch (CancellationException e) {
                LOG.debug("Cleaning of {} stopped: {}", log.dir(), e.getMessage());
            } catch (IOException | RuntimeException e) {
                failed = true;
                LOG.error("Cleaning of {} failed; it is retried after log.cleaner.backoff.ms: {}", log.dir(), e.toString(), e);
            } finally {
                synchronized (lock) {
                    inProgress.remove(log);
                    lock.notifyAll();
                }
            }
            if (failed) {
                awaitWork(config.backoffMs());
            }
        }
    }

    /** Stops a cleaning at a point where nothing was committed yet, if asked to. */
    private void stopIfAsked(PartitionLog log, CleanerStep step) {
        if (step != CleanerStep.CLEANED_BATCH_WRITTEN && step != CleanerStep.OFFSET_MAP_BUILT) {
            return;
        }
        if (stopping) {
            throw new CancellationException("the broker is shutting down");
        }
        synchronized (lock) {
            if (forgotten.contains(log)) {
                throw new CancellationException("the log is being closed or deleted");
            }
        }
    }

    /** The dirtiest cleanable log not being cleaned, marked in progress; null if none. */
    private PartitionLog pick() {
        long now = time.milliseconds();
        PartitionLog best = null;
        double bestRatio = -1;
        for (PartitionLog log : logs.get()) {
            LogConfig logConfig = log.config();
            if (!logConfig.compact() || log.cleanerCheckpoint().swapInProgress()) {
                continue;
            }
            LogCompactor.Cleanable cleanable;
            try {
                cleanable = LogCompactor.cleanable(log, now);
            } catch (RuntimeException e) {
                continue; // closed or deleted under us
            }
            double ratio = cleanable.dirtyRatio();
            if (cleanable.dirtyBytes() > 0 && ratio >= logConfig.minCleanableDirtyRatio() && ratio > bestRatio) {
                synchronized (lock) {
                    if (inProgress.contains(log) || forgotten.contains(log)) {
                        continue;
                    }
                }
                best = log;
                bestRatio = ratio;
            }
        }
        if (best == null) {
            return null;
        }
        synchronized (lock) {
            if (inProgress.contains(best) || forgotten.contains(best)) {
                return null;
            }
            inProgress.add(best);
            return best;
        }
    }

    private void awaitWork(long ms) {
        synchronized (lock) {
            if (!stopping && !wakeupRequested) {
                waitQuietly(ms);
            }
            wakeupRequested = false;
        }
    }

    private void waitQuietly(long ms) {
        try {
            lock.wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the threads: cleanings in progress stop at their next batch. Waits for them (bounded). */
    @Override
    public void close() {
        stopping = true;
        wakeup();
        for (Thread thread : threads) {
            try {
                thread.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

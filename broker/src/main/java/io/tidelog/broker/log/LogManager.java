package io.tidelog.broker.log;

import io.tidelog.broker.Time;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the broker's log directories ({@code log.dirs}): opens every partition log in them at
 * startup (recovering after a crash), creates and deletes partition logs, and runs the periodic
 * duties (retention, flush, checkpoints). It also owns the {@link LogCleaner}, which compacts the
 * logs of compacted topics on its own threads from open until close.
 *
 * <p>Per log dir: {@code <topic>-<partition>/} partition directories, {@code .lock} (held while
 * open), {@code recovery-point-offset-checkpoint}, {@code log-start-offset-checkpoint} and, only
 * between a clean shutdown and the next startup, {@code .clean-shutdown}.
 *
 * <p>Invariants: a partition lives in exactly one log dir; the clean-shutdown marker exists only
 * if every log in the dir was closed (flushed and trimmed) after the checkpoints were written, and
 * it is deleted as soon as the dir is open again, so a later crash is always detected.
 *
 * <p>Threading: {@link #open} and {@link #close} run once. {@link #getOrCreateLog} and
 * {@link #deleteLog} are control-path calls (any thread; the map is concurrent).
 * {@link #flushDuty()} and {@link #checkpointDuty()} block on fsync and belong on a background
 * thread. {@link #retentionDuty()} mutates logs: call it where partition mutations may run (it is
 * safe against concurrent appends because log mutations are serialised, see {@link PartitionLog}).
 */
public final class LogManager implements AutoCloseable {

    public static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";
    public static final String LOCK_FILE = ".lock";
    public static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    public static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";
    private static final String DELETE_SUFFIX = "-delete";
    private static final Pattern PARTITION_DIR = Pattern.compile("^(.+)-(\\d+)$");

    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);

    private final List<Path> logDirs;
    private final Time time;
    private final BiFunction<String, Integer, LogConfig> configs;
    private final Map<String, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<String, Path> logDirOf = new ConcurrentHashMap<>();
    private final List<FileLock> locks = new ArrayList<>();
    private final LogCleaner cleaner;
    private volatile boolean closed;
    /** Startup: time {@link #open} spent opening (and recovering) the log dirs; set once. */
    private long openNanos;
    /** Startup: partitions opened from a log dir without a clean-shutdown marker (so scanned). */
    private int partitionsRecovered;

    private LogManager(List<Path> logDirs, Time time, BiFunction<String, Integer, LogConfig> configs,
                       CleanerConfig cleanerConfig) {
        this.logDirs = List.copyOf(logDirs);
        this.time = time;
        this.configs = configs;
        this.cleaner = new LogCleaner(cleanerConfig, logs::values, time);
    }

    /**
     * Opens every log dir, recovering partitions in parallel on {@code recoveryThreads} threads.
     *
     * @param configs the LogConfig of a (topic, partition): topic overrides over broker defaults
     * @throws IOException naming the directory when a log dir or partition dir cannot be read or
     *                     recovered, or a log dir is locked by another process
     */
    public static LogManager open(List<Path> logDirs, BiFunction<String, Integer, LogConfig> configs, Time time,
                                  int recoveryThreads) throws IOException {
        return open(logDirs, configs, time, recoveryThreads, CleanerConfig.defaults());
    }

    /** As {@link #open(List, BiFunction, Time, int)}, with the log cleaner's settings. */
    public static LogManager open(List<Path> logDirs, BiFunction<String, Integer, LogConfig> configs, Time time,
                                  int recoveryThreads, CleanerConfig cleanerConfig) throws IOException {
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("log.dirs must name at least one directory");
        }
        LogManager manager = new LogManager(logDirs, time, configs, cleanerConfig);
        long started = time.nanoseconds();
        try {
            for (Path dir : manager.logDirs) {
                manager.openDir(dir, Math.max(1, recoveryThreads));
            }
            manager.openNanos = time.nanoseconds() - started;
        } catch (IOException | RuntimeException e) {
            manager.closeAfterFailedOpen();
            throw e;
        }
        manager.cleaner.start();
        return manager;
    }

    private void openDir(Path dir, int threads) throws IOException {
        Files.createDirectories(dir);
        lock(dir);
        Path marker = dir.resolve(CLEAN_SHUTDOWN_FILE);
        boolean clean = Files.exists(marker);
        Map<String, Long> recoveryPoints = readOffsets(dir.resolve(RECOVERY_POINT_CHECKPOINT));
        Map<String, Long> startOffsets = readOffsets(dir.resolve(LOG_START_OFFSET_CHECKPOINT));
        List<Path> partitionDirs = listPartitionDirs(dir);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, partitionDirs.size())),
                r -> new Thread(r, "log-recovery-" + dir.getFileName()));
        try {
            Map<Path, Future<PartitionLog>> opening = new HashMap<>();
            for (Path partitionDir : partitionDirs) {
                String name = partitionDir.getFileName().toString();
                Matcher m = PARTITION_DIR.matcher(name);
                m.matches();
                LogConfig config = configs.apply(m.group(1), Integer.parseInt(m.group(2)));
                opening.put(partitionDir, pool.submit(() -> PartitionLog.open(partitionDir, config, time,
                        recoveryPoints.getOrDefault(name, 0L), startOffsets.getOrDefault(name, 0L), clean)));
            }
            for (Map.Entry<Path, Future<PartitionLog>> entry : opening.entrySet()) {
                String name = entry.getKey().getFileName().toString();
                logs.put(name, await(entry.getKey(), entry.getValue()));
                logDirOf.put(name, dir);
            }
        } finally {
            pool.shutdownNow();
        }
        if (!clean) {
            partitionsRecovered += partitionDirs.size();
        }
        Files.deleteIfExists(marker);
        CheckpointFile.fsyncDirectory(dir);
        // A dir with no partitions has nothing to recover: calling that an unclean shutdown would
        // send an operator of a brand-new broker looking for a crash that never happened.
        String previous = partitionDirs.isEmpty() ? "nothing to recover" : (clean ? "clean" : "unclean") + " shutdown";
        LOG.info("Opened log dir {} ({} partitions, {})", dir, partitionDirs.size(), previous);
    }

    private static PartitionLog await(Path partitionDir, Future<PartitionLog> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while opening " + partitionDir, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException("Cannot open partition directory " + partitionDir + ": " + cause, cause);
        }
    }

    private void lock(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("Log directory " + dir + " is in use by another process (" + LOCK_FILE + " is locked)");
        }
        locks.add(lock);
    }

    private static List<Path> listPartitionDirs(Path dir) throws IOException {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!Files.isDirectory(entry)) {
                    continue;
                }
                if (name.endsWith(DELETE_SUFFIX)) {
                    deleteRecursively(entry);
                } else if (PARTITION_DIR.matcher(name).matches()) {
                    result.add(entry);
                } else {
                    LOG.debug("Ignoring {}: not a <topic>-<partition> directory", entry);
                }
            }
        } catch (IOException e) {
            throw new IOException("Cannot read log directory " + dir + ": " + e, e);
        }
        return result;
    }

    private static Map<String, Long> readOffsets(Path file) throws IOException {
        Map<String, Long> offsets = new HashMap<>();
        CheckpointFile checkpoint = new CheckpointFile(file);
        checkpoint.deleteStaleTemp();
        for (String line : checkpoint.read()) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 3) {
                throw new IOException("Malformed entry '" + line + "' in " + file);
            }
            try {
                offsets.put(parts[0] + "-" + Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
            } catch (NumberFormatException e) {
                throw new IOException("Malformed entry '" + line + "' in " + file, e);
            }
        }
        return offsets;
    }

    private static String key(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** How long {@link #open} took: opening every log, recovering those not shut down cleanly. */
    public long startupOpenNanos() {
        return openNanos;
    }

    /** Partitions {@link #open} recovered (scanned from their recovery point) after an unclean shutdown. */
    public int startupPartitionsRecovered() {
        return partitionsRecovered;
    }

    /** The open log of a partition, if this broker has it. */
    public Optional<PartitionLog> log(String topic, int partition) {
        return Optional.ofNullable(logs.get(key(topic, partition)));
    }

    /** All open logs by directory name ({@code <topic>-<partition>}). */
    public Map<String, PartitionLog> logs() {
        return Map.copyOf(logs);
    }

    /**
     * Returns the partition's log, creating an empty one in the log dir holding the fewest
     * partitions if it does not exist.
     */
    public synchronized PartitionLog getOrCreateLog(String topic, int partition) throws IOException {
        ensureOpen();
        String name = key(topic, partition);
        PartitionLog existing = logs.get(name);
        if (existing != null) {
            return existing;
        }
        if (topic.isEmpty() || topic.contains("/") || topic.contains(" ") || partition < 0) {
            throw new IllegalArgumentException("Invalid partition " + topic + "-" + partition);
        }
        Path logDir = leastLoadedDir();
        Path partitionDir = logDir.resolve(name);
        Files.createDirectories(partitionDir);
        CheckpointFile.fsyncDirectory(logDir);
        PartitionLog log = PartitionLog.open(partitionDir, configs.apply(topic, partition), time, 0L, 0L, true);
        logs.put(name, log);
        logDirOf.put(name, logDir);
        return log;
    }

    private Path leastLoadedDir() {
        Map<Path, Integer> counts = new HashMap<>();
        logDirs.forEach(d -> counts.put(d, 0));
        logDirOf.values().forEach(d -> counts.merge(d, 1, Integer::sum));
        Path best = logDirs.get(0);
        for (Path d : logDirs) {
            if (counts.get(d) < counts.get(best)) {
                best = d;
            }
        }
        return best;
    }

    /**
     * Closes the partition's log and removes its directory (renamed to
     * {@code <topic>-<partition>.<uuid>-delete} first, so a crash mid-delete finishes at startup).
     * Blocking file-system work: not on an event loop.
     *
     * @return false if the partition had no log here
     */
    public synchronized boolean deleteLog(String topic, int partition) throws IOException {
        String name = key(topic, partition);
        PartitionLog log = logs.remove(name);
        Path logDir = logDirOf.remove(name);
        if (log == null) {
            return false;
        }
        cleaner.forget(log);
        log.closeWithoutFlush();
        Path doomed = logDir.resolve(name + "." + UUID.randomUUID().toString().replace("-", "") + DELETE_SUFFIX);
        Files.move(log.dir(), doomed);
        CheckpointFile.fsyncDirectory(logDir);
        deleteRecursively(doomed);
        return true;
    }

    private static void deleteRecursively(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Retention for every log; returns segments deleted. Failures are logged per partition. */
    public int retentionDuty() {
        int deleted = 0;
        for (PartitionLog log : logs.values()) {
            try {
                deleted += log.deleteRetentionBreachedSegments();
            } catch (IOException | RuntimeException e) {
                LOG.error("Retention of {} failed: {}", log.dir(), e.toString(), e);
            }
        }
        return deleted;
    }

    /**
     * Background duty: fsyncs what each log's {@link PartitionLog#flushTarget} asks for (the flush
     * policy, or segments sealed by a roll) and removes files of retired segments. Returns the
     * number of logs flushed. Blocking.
     */
    public int flushDuty() {
        int flushed = 0;
        long now = time.milliseconds();
        for (PartitionLog log : logs.values()) {
            try {
                long target = log.flushTarget(now);
                if (target >= 0) {
                    log.flush(target);
                    flushed++;
                }
                log.deleteRetiredSegmentFiles();
            } catch (IOException | RuntimeException e) {
                LOG.error("Flush of {} failed: {}", log.dir(), e.toString(), e);
            }
        }
        return flushed;
    }

    /** Background duty: writes the recovery-point and log-start-offset checkpoints of every log dir. */
    public void checkpointDuty() throws IOException {
        for (Path dir : logDirs) {
            List<String> recoveryPoints = new ArrayList<>();
            List<String> startOffsets = new ArrayList<>();
            for (Map.Entry<String, PartitionLog> entry : logs.entrySet()) {
                if (!dir.equals(logDirOf.get(entry.getKey()))) {
                    continue;
                }
                String name = entry.getKey();
                int dash = name.lastIndexOf('-');
                String prefix = name.substring(0, dash) + " " + name.substring(dash + 1) + " ";
                recoveryPoints.add(prefix + entry.getValue().recoveryPoint());
                startOffsets.add(prefix + entry.getValue().logStartOffset());
            }
            new CheckpointFile(dir.resolve(RECOVERY_POINT_CHECKPOINT)).write(recoveryPoints);
            new CheckpointFile(dir.resolve(LOG_START_OFFSET_CHECKPOINT)).write(startOffsets);
        }
    }

    public List<Path> logDirs() {
        return logDirs;
    }

    /** The log cleaner (compaction of cleanup.policy=compact topics). */
    public LogCleaner cleaner() {
        return cleaner;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("log manager is closed");
        }
    }

    /**
     * Clean shutdown: closes every log (flush, trim, epoch checkpoint), writes the checkpoints,
     * then the clean-shutdown marker of each dir whose logs all closed cleanly.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        cleaner.close();
        IOException failure = null;
        List<Path> uncleanDirs = new ArrayList<>();
        for (Map.Entry<String, PartitionLog> entry : logs.entrySet()) {
            try {
                entry.getValue().close();
            } catch (IOException e) {
                uncleanDirs.add(logDirOf.get(entry.getKey()));
                failure = failure == null ? e : failure;
            }
        }
        try {
            checkpointDuty();
            for (Path dir : logDirs) {
                if (!uncleanDirs.contains(dir)) {
                    Files.write(dir.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
                    CheckpointFile.fsyncDirectory(dir);
                }
            }
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        releaseLocks();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Drops everything as a crash would: no flush, no trim, no checkpoints, no marker. For tests
     * and for giving up after a fatal storage error.
     */
    public synchronized void closeUncleanly() {
        closed = true;
        cleaner.close();
        closeAfterFailedOpen();
    }

    private void closeAfterFailedOpen() {
        for (PartitionLog log : logs.values()) {
            log.closeWithoutFlush();
        }
        releaseLocks();
    }

    private void releaseLocks() {
        for (FileLock lock : locks) {
            try {
                lock.release();
                lock.channel().close();
            } catch (IOException e) {
                LOG.warn("Could not release {}: {}", lock, e.toString());
            }
        }
        locks.clear();
    }
}

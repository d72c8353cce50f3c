package io.tidelog.perf.jmh;

import io.tidelog.broker.Time;
import io.tidelog.broker.log.LogConfig;
import io.tidelog.broker.log.PartitionLog;
import io.tidelog.broker.log.SegmentBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Crash recovery of a whole partition: {@link PartitionLog#open} with no clean-shutdown marker and
 * recovery point 0, so every segment is scanned batch by batch (length, magic, CRC-32C, records)
 * and its indexes rebuilt. The log ({@code logBytes}, default 1 GiB in 256 MiB segments) is
 * written once per trial and is in the page cache, so this is the CPU cost of the scan, not disk
 * speed. Scan rate = logBytes / score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecoveryScanBenchmark {

    @Param({"1073741824"})
    public long logBytes;

    /** Batch size limit; the batch holds as many 256-byte records as fit. */
    @Param({"16384"})
    public int batchBytes;

    private Path dir;
    private Path partitionDir;
    private LogConfig config;
    private PartitionLog recovered;

    @Setup(Level.Trial)
    public void writeLog() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "tidelog-recovery-bench-");
        partitionDir = Files.createDirectory(dir.resolve("bench-0"));
        config = LogConfig.builder().backend(SegmentBackend.DEFAULT).segmentBytes(256 << 20).build();
        ByteBuffer batch = BenchmarkBatches.batchOfAtMost(batchBytes, System.currentTimeMillis(), new Random(42));
        int size = batch.remaining();
        try (PartitionLog log = PartitionLog.open(partitionDir, config, Time.SYSTEM, 0, 0, false)) {
            for (long written = 0; written < logBytes; written += size) {
                batch.limit(size).position(0);
                if (!log.append(batch, 1).isSuccess()) {
                    throw new IllegalStateException("setup append failed");
                }
            }
        }
    }

    @Benchmark
    public long recover() throws IOException {
        recovered = PartitionLog.open(partitionDir, config, Time.SYSTEM, 0, 0, false);
        return recovered.logEndOffset();
    }

    @TearDown(Level.Invocation)
    public void closeRecovered() throws IOException {
        if (recovered != null) {
            recovered.close();
            recovered = null;
        }
    }

    @TearDown(Level.Trial)
    public void deleteLog() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

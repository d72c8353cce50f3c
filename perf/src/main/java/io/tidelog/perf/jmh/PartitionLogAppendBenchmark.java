package io.tidelog.perf.jmh;

import io.tidelog.broker.Time;
import io.tidelog.broker.log.LogAppendResult;
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
 * Full leader appends through {@link PartitionLog#append}: validation (CRC-32C, records), offset
 * assignment, the segment write (reserve + mapped copy), index entries and rolls. Old segments
 * are deleted as soon as the log rolls (log start offset moved to the LEO, files removed at once),
 * as a retention duty would, so disk use stays at about two segments.
 *
 * <p>The primary score is appends per second; the {@code bytes} secondary score is bytes per
 * second (divide by 10^6 for MB/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PartitionLogAppendBenchmark {

    @Param({"NIO", "CHRONICLE"})
    public SegmentBackend backend;

    /** Batch size limit; the batch holds as many 256-byte records as fit. */
    @Param({"1024", "16384", "65536"})
    public int batchBytes;

    @Param({"268435456"})
    public int segmentBytes;

    private Path dir;
    private PartitionLog log;
    private ByteBuffer batch;
    private int batchSize;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "tidelog-log-bench-");
        Path partitionDir = Files.createDirectory(dir.resolve("bench-0"));
        LogConfig config = LogConfig.builder().backend(backend).segmentBytes(segmentBytes).fileDeleteDelayMs(0).build();
        log = PartitionLog.open(partitionDir, config, Time.SYSTEM, 0, 0, false);
        batch = BenchmarkBatches.batchOfAtMost(batchBytes, System.currentTimeMillis(), new Random(42));
        batchSize = batch.remaining();
    }

    @Benchmark
    public long append(AppendedBytes counter) throws IOException {
        batch.limit(batchSize).position(0);
        LogAppendResult result = log.append(batch, 1);
        if (!result.isSuccess()) {
            throw new IllegalStateException("append failed: " + result);
        }
        counter.bytes += batchSize;
        if (log.segmentCount() > 1) {
            log.advanceLogStartOffset(log.logEndOffset());
            log.deleteRetiredSegmentFiles();
        }
        return result.lastOffset();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

package io.tidelog.perf.jmh;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.tidelog.broker.Time;
import io.tidelog.broker.log.LogConfig;
import io.tidelog.broker.log.LogReadResult;
import io.tidelog.broker.log.PartitionLog;
import io.tidelog.broker.replica.Partition;
import io.tidelog.broker.replica.SliceOffsets;
import io.tidelog.broker.replica.TopicPartition;
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
 * The records-out metric's cost on the fetch read path: a consumer read (locate whole batches
 * from a batch start below the high-water mark, take and release the segment reference) with and
 * without {@link SliceOffsets#delivered}, which reads the header of whatever follows the slice
 * (one {@code pread} of 17 bytes). Reads go to the page cache, not the disk. The log holds 4,096 batches of at most
 * 16 KiB in one segment; {@code maxBytes} is a fetch's partition limit (16 KiB: one batch; 1 MiB:
 * about 64). The sendfile that follows a real read is not included, so the ratio here is an upper
 * bound of the metric's share of a fetch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FetchRecordsOutBenchmark {

    private static final int BATCHES = 4_096;

    @Param({"16384", "1048576"})
    public int maxBytes;

    private Path dir;
    private PartitionLog log;
    private Partition partition;
    private long[] batchStarts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "tidelog-records-out-bench-");
        Path partitionDir = Files.createDirectories(dir.resolve("bench-0"));
        LogConfig config = LogConfig.builder().segmentBytes(128 << 20).build();
        log = PartitionLog.open(partitionDir, config, Time.SYSTEM, 0, 0, true);
        Random random = new Random(42);
        batchStarts = new long[BATCHES];
        for (int i = 0; i < BATCHES; i++) {
            ByteBuffer batch = BenchmarkBatches.batchOfAtMost(16 * 1024, System.currentTimeMillis(), random);
            batchStarts[i] = log.logEndOffset();
            if (!log.append(batch, 0).isSuccess()) {
                throw new IllegalStateException("setup append failed");
            }
        }
        partition = Partition.openAsLeader(new TopicPartition("bench", 0), log, ImmediateEventExecutor.INSTANCE, 1, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private long nextOffset() {
        next = (next + 97) % (BATCHES - 64);
        return batchStarts[next];
    }

    @Benchmark
    public int read() throws IOException {
        LogReadResult result = log.read(nextOffset(), maxBytes, partition.highWatermark());
        int bytes = result.slice().sizeInBytes();
        result.slice().release();
        return bytes;
    }

    @Benchmark
    public long readAndCountRecordsOut() throws IOException {
        long fetchOffset = nextOffset();
        LogReadResult result = log.read(fetchOffset, maxBytes, partition.highWatermark());
        long records = SliceOffsets.delivered(partition, fetchOffset, result.slice());
        result.slice().release();
        return records;
    }
}

package io.tidelog.perf.jmh;

import io.tidelog.broker.log.LogConfig;
import io.tidelog.broker.log.OffsetIndexBenchmarkAccess;
import io.tidelog.broker.log.SegmentBackend;
import java.io.IOException;
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
 * Latency of one offset-index lookup (binary search over the mapped entries, including the
 * reference-counted acquire/release of the mapping), at seeded random target offsets, on the
 * index of a full default segment: 1 GiB of log with an entry every 4 KiB
 * ({@code index.interval.bytes}) is 262,144 entries (2 MiB of the 10 MiB preallocated file).
 *
 * <p>{@code lookupAnywhere} draws targets uniformly over the whole segment (a consumer seeking to
 * old data: every probe of the binary search is a cache miss); {@code lookupNearTail} draws them
 * from the newest 1,024 entries (consumers and followers reading near the log end, the common
 * case, whose last probes share cache lines).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OffsetLookupBenchmark {

    private static final int TARGETS = 1 << 16;
    private static final int ENTRIES = (1 << 30) / 4096;

    @Param({"NIO", "CHRONICLE"})
    public SegmentBackend backend;

    private Path dir;
    private OffsetIndexBenchmarkAccess index;
    private final long[] targets = new long[TARGETS];
    private final long[] tailTargets = new long[TARGETS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "tidelog-index-bench-");
        LogConfig config = LogConfig.builder().backend(backend).build();
        long baseOffset = 1_000_000L;
        index = OffsetIndexBenchmarkAccess.create(dir.resolve("00000000000001000000.index"), baseOffset, config);
        // one entry per 4 KiB of log holding 16 records: offsets step by 16, positions by 4096
        long offset = baseOffset + 16;
        int position = 4096;
        for (int i = 0; i < ENTRIES; i++) {
            index.append(offset, position);
            offset += 16;
            position += 4096;
        }
        if (index.entryCount() != ENTRIES) {
            throw new IllegalStateException("index holds " + index.entryCount() + " entries, expected " + ENTRIES);
        }
        Random random = new Random(42);
        long lastOffset = offset;
        long tailStart = lastOffset - 1024L * 16;
        for (int i = 0; i < TARGETS; i++) {
            targets[i] = baseOffset + (long) (random.nextDouble() * (lastOffset - baseOffset));
            tailTargets[i] = tailStart + (long) (random.nextDouble() * (lastOffset - tailStart));
        }
    }

    @Benchmark
    public int lookupAnywhere() {
        long target = targets[next];
        next = (next + 1) & (TARGETS - 1);
        return index.lookup(target);
    }

    @Benchmark
    public int lookupNearTail() {
        long target = tailTargets[next];
        next = (next + 1) & (TARGETS - 1);
        return index.lookup(target);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        index.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

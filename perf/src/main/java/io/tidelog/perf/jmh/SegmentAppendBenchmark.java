package io.tidelog.perf.jmh;

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
 * Append throughput into a preallocated, memory-mapped segment file (through
 * {@link io.tidelog.broker.log.MappedFile}: reserve, then write), for each backend, beside a plain
 * {@code FileChannel.write} from a direct buffer. Files live in a temp dir under {@code /tmp},
 * roll (delete + fresh file) when full, and are deleted at teardown.
 *
 * <p>The primary score is appends per second; the {@code bytes} secondary score is bytes per
 * second (divide by 10^6 for MB/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SegmentAppendBenchmark {

    @Param({"NIO", "CHRONICLE", "FILE_CHANNEL"})
    public AppendTarget target;

    @Param({"1024", "16384", "65536"})
    public int appendBytes;

    /** One segment: 256 MiB, rolled when full. */
    @Param({"268435456"})
    public long segmentBytes;

    private Path dir;
    private AppendSink sink;
    private ByteBuffer batch;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "tidelog-append-bench-");
        sink = AppendSink.create(target, dir, segmentBytes);
        batch = ByteBuffer.allocateDirect(appendBytes);
        byte[] content = new byte[appendBytes];
        new Random(42).nextBytes(content);
        batch.put(content).flip();
    }

    @Benchmark
    public long append(AppendedBytes counter) throws IOException {
        counter.bytes += appendBytes;
        return sink.append(batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sink.close();
        Files.deleteIfExists(dir);
    }
}

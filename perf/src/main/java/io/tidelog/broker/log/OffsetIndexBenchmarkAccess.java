package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Lets the JMH benchmarks (perf module) drive the package-private {@link OffsetIndex} directly, to
 * measure a lookup without the segment scan around it. Lives in the perf module only; the broker
 * jar does not contain it.
 */
public final class OffsetIndexBenchmarkAccess implements AutoCloseable {

    private final OffsetIndex index;

    private OffsetIndexBenchmarkAccess(OffsetIndex index) {
        this.index = index;
    }

    /** A new, empty, preallocated index of {@code config.segmentIndexBytes()} at {@code path}. */
    public static OffsetIndexBenchmarkAccess create(Path path, long baseOffset, LogConfig config) throws IOException {
        return new OffsetIndexBenchmarkAccess(OffsetIndex.create(path, baseOffset, config));
    }

    public void append(long offset, int position) {
        index.append(offset, position);
    }

    public int lookup(long targetOffset) {
        return index.lookup(targetOffset);
    }

    public int entryCount() {
        return index.entryCount();
    }

    public boolean isFull() {
        return index.isFull();
    }

    @Override
    public void close() {
        index.close();
    }
}

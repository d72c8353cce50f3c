package io.tidelog.perf.jmh;

import io.tidelog.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.Random;

/** Record batches v2 of a given size for the log benchmarks: uncompressed, 256-byte values, no keys. */
final class BenchmarkBatches {

    /** Value size of each record; a 1 KiB batch holds 3 records, a 64 KiB one about 240. */
    static final int VALUE_BYTES = 256;

    private BenchmarkBatches() {
    }

    /**
     * A direct buffer holding one batch of at most {@code maxBatchBytes} (as many records as fit,
     * at least one), position 0, limit its size.
     */
    static ByteBuffer batchOfAtMost(int maxBatchBytes, long timestamp, Random random) {
        RecordBatchBuilder builder = new RecordBatchBuilder(maxBatchBytes);
        byte[] value = new byte[VALUE_BYTES];
        random.nextBytes(value);
        do {
            builder.append(timestamp, null, value);
        } while (builder.sizeInBytesAfter(timestamp, null, value, java.util.List.of()) <= maxBatchBytes);
        ByteBuffer heap = builder.build();
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining());
        direct.put(heap).flip();
        return direct;
    }
}

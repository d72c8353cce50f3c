package io.tidelog.broker;

import io.tidelog.broker.log.LogConfig;
import io.tidelog.broker.log.LogSlice;
import io.tidelog.broker.log.SegmentBackend;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchBuilder;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builders of batches and small log configs for storage tests. */
public final class TestLogs {

    private TestLogs() {
    }

    /** A config with small segments and indexes so tests roll often and stay fast. */
    public static LogConfig.Builder smallConfig(SegmentBackend backend) {
        return LogConfig.builder()
                .backend(backend)
                .segmentBytes(16 * 1024)
                .segmentIndexBytes(1024)
                .indexIntervalBytes(256)
                .maxMessageBytes(8 * 1024)
                .fileDeleteDelayMs(0);
    }

    /** One batch of {@code records} records with values of {@code valueSize} bytes, all at {@code timestamp}. */
    public static ByteBuffer batch(int records, int valueSize, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueSize];
            for (int b = 0; b < valueSize; b++) {
                value[b] = (byte) (i + b);
            }
            builder.append(timestamp + i, ("k" + i).getBytes(), value);
        }
        return builder.build();
    }

    /** A batch of 1..4 records with random values (1..maxValue bytes), timestamps from {@code timestamp}. */
    public static ByteBuffer randomBatch(Random random, int maxValue, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        int records = 1 + random.nextInt(4);
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[1 + random.nextInt(maxValue)];
            random.nextBytes(value);
            builder.append(timestamp + i, null, value);
        }
        return builder.build();
    }

    /** Concatenates batches into one buffer, as a produce request carries them. */
    public static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    /** Copies a slice's file bytes into memory. */
    public static ByteBuffer bytesOf(LogSlice slice) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(slice.sizeInBytes());
        long position = slice.position();
        while (buf.hasRemaining()) {
            int n = slice.channel().read(buf, position);
            if (n < 0) {
                throw new IOException("file ended inside a slice");
            }
            position += n;
        }
        return buf.flip();
    }

    /** Batch headers in a buffer of whole batches: (baseOffset, lastOffset, epoch) triples. */
    public static List<long[]> batchesIn(ByteBuffer buf) {
        List<long[]> result = new ArrayList<>();
        RecordBatch batch = new RecordBatch();
        for (int p = buf.position(); p < buf.limit(); p += batch.sizeInBytes()) {
            batch.wrap(buf, p);
            if (!batch.validate().isValid()) {
                throw new AssertionError("invalid batch at " + p + ": " + batch.validate());
            }
            result.add(new long[] {batch.baseOffset(), batch.lastOffset(), batch.partitionLeaderEpoch()});
        }
        return result;
    }

    /** Whole batch size of a built batch. */
    public static int sizeOf(ByteBuffer batch) {
        return RecordBatchLayout.sizeInBytes(batch, batch.position());
    }
}

package io.tidelog.perf.load;

import java.nio.ByteBuffer;

/**
 * Layout of the value of every record the load tool sends. The fixed header lets a consumer tell
 * our records from foreign ones, attribute each to its producer and sequence (for
 * {@link DeliveryChecker}), and measure produce-to-consume latency in the same process.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic          0x54504C31 ("TPL1")
 *      4     8  runId          random per run: records of earlier runs in the topic are ignored
 *     12     4  producerId     0 .. producers-1
 *     16     8  sequence       0, 1, 2, ... per producer, in send order
 *     24     8  intendedNanos  System.nanoTime() of the sending JVM at the intended send time
 *     32     n  filler         zeros up to record.size
 * </pre>
 *
 * Big-endian. Only meaningful inside the JVM that wrote it: {@code intendedNanos} is not a wall
 * clock.
 */
public final class RecordPayload {

    public static final int MAGIC = 0x54504C31;
    public static final int MAGIC_OFFSET = 0;
    public static final int RUN_ID_OFFSET = 4;
    public static final int PRODUCER_ID_OFFSET = 12;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int INTENDED_NANOS_OFFSET = 24;
    public static final int HEADER_BYTES = 32;

    private RecordPayload() {
    }

    /** Writes the header into {@code value} (at least {@link #HEADER_BYTES} long); the rest is left as it is. */
    public static void write(byte[] value, long runId, int producerId, long sequence, long intendedNanos) {
        write(ByteBuffer.wrap(value), runId, producerId, sequence, intendedNanos);
    }

    /** As {@link #write(byte[], long, int, long, long)} through a big-endian buffer over the value, reused per record. */
    public static void write(ByteBuffer b, long runId, int producerId, long sequence, long intendedNanos) {
        b.putInt(MAGIC_OFFSET, MAGIC);
        b.putLong(RUN_ID_OFFSET, runId);
        b.putInt(PRODUCER_ID_OFFSET, producerId);
        b.putLong(SEQUENCE_OFFSET, sequence);
        b.putLong(INTENDED_NANOS_OFFSET, intendedNanos);
    }

    /** True if {@code value} carries our header with this {@code runId}. */
    public static boolean isOurs(byte[] value, long runId) {
        return value != null && value.length >= HEADER_BYTES && intAt(value, MAGIC_OFFSET) == MAGIC
                && longAt(value, RUN_ID_OFFSET) == runId;
    }

    /** True if {@code value} carries our header, whatever the run. */
    public static boolean hasHeader(byte[] value) {
        return value != null && value.length >= HEADER_BYTES && intAt(value, MAGIC_OFFSET) == MAGIC;
    }

    public static long runId(byte[] value) {
        return longAt(value, RUN_ID_OFFSET);
    }

    public static int producerId(byte[] value) {
        return intAt(value, PRODUCER_ID_OFFSET);
    }

    public static long sequence(byte[] value) {
        return longAt(value, SEQUENCE_OFFSET);
    }

    public static long intendedNanos(byte[] value) {
        return longAt(value, INTENDED_NANOS_OFFSET);
    }

    private static int intAt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    private static long longAt(byte[] b, int i) {
        return ((long) intAt(b, i) << 32) | (intAt(b, i + 4) & 0xFFFFFFFFL);
    }
}

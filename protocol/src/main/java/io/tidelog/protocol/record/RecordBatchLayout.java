package io.tidelog.protocol.record;

import java.nio.ByteBuffer;

/**
 * Descriptor of Kafka's record batch v2 (magic 2) header. Every other class reads batch fields
 * through these constants and accessors; nobody writes {@code buf.getInt(57)} elsewhere.
 *
 * <pre>
 * offset size field                  in CRC  notes
 * ------ ---- ---------------------- ------  ------------------------------------------
 *      0    8 baseOffset             no      clients send 0; the leader assigns it
 *      8    4 batchLength            no      total batch size - 12 (LOG_OVERHEAD)
 *     12    4 partitionLeaderEpoch   no      clients send -1; the leader stamps it
 *     16    1 magic                  no      always 2
 *     17    4 crc                    -       CRC-32C of bytes [21, end)
 *     21    2 attributes             yes     bits 0-2 codec, 3 LogAppendTime, 4 transactional,
 *                                            5 control, 6 delete horizon
 *     23    4 lastOffsetDelta        yes
 *     27    8 baseTimestamp          yes
 *     35    8 maxTimestamp           yes
 *     43    8 producerId             yes     -1 = none
 *     51    2 producerEpoch          yes
 *     53    4 baseSequence           yes     -1 = none
 *     57    4 recordsCount           yes
 *     61    - records                yes     one compressed block when codec != 0
 * </pre>
 *
 * Record (all varints zig-zag signed): {@code length varint, attributes int8, timestampDelta
 * varlong, offsetDelta varint, keyLength varint (-1 = null), key, valueLength varint, value,
 * headerCount varint, headers (keyLength varint, key, valueLength varint (-1 = null), value)}.
 *
 * <p>Accessors take the absolute index of the batch's first byte and never move the buffer's
 * position.
 */
public final class RecordBatchLayout {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BATCH_LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Bytes before the batchLength field's coverage starts: baseOffset + batchLength. */
    public static final int LOG_OVERHEAD = 12;
    /** Size of a batch header; also the smallest legal batch (no records is never valid). */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** The CRC covers [CRC_START, end). */
    public static final int CRC_START = ATTRIBUTES_OFFSET;

    public static final byte MAGIC_V2 = 2;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int LOG_APPEND_TIME_FLAG = 0x08;
    public static final int TRANSACTIONAL_FLAG = 0x10;
    public static final int CONTROL_FLAG = 0x20;
    public static final int DELETE_HORIZON_FLAG = 0x40;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    private RecordBatchLayout() {
    }

    public static long baseOffset(ByteBuffer buf, int batchStart) {
        return buf.getLong(batchStart + BASE_OFFSET_OFFSET);
    }

    public static int batchLength(ByteBuffer buf, int batchStart) {
        return buf.getInt(batchStart + BATCH_LENGTH_OFFSET);
    }

    /** Whole batch size in bytes as declared by its header (batchLength + LOG_OVERHEAD). */
    public static int sizeInBytes(ByteBuffer buf, int batchStart) {
        return batchLength(buf, batchStart) + LOG_OVERHEAD;
    }

    public static int partitionLeaderEpoch(ByteBuffer buf, int batchStart) {
        return buf.getInt(batchStart + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public static byte magic(ByteBuffer buf, int batchStart) {
        return buf.get(batchStart + MAGIC_OFFSET);
    }

    public static long crc(ByteBuffer buf, int batchStart) {
        return buf.getInt(batchStart + CRC_OFFSET) & 0xffffffffL;
    }

    public static short attributes(ByteBuffer buf, int batchStart) {
        return buf.getShort(batchStart + ATTRIBUTES_OFFSET);
    }

    public static int lastOffsetDelta(ByteBuffer buf, int batchStart) {
        return buf.getInt(batchStart + LAST_OFFSET_DELTA_OFFSET);
    }

    public static long baseTimestamp(ByteBuffer buf, int batchStart) {
        return buf.getLong(batchStart + BASE_TIMESTAMP_OFFSET);
    }

    public static long maxTimestamp(ByteBuffer buf, int batchStart) {
        return buf.getLong(batchStart + MAX_TIMESTAMP_OFFSET);
    }

    public static long producerId(ByteBuffer buf, int batchStart) {
        return buf.getLong(batchStart + PRODUCER_ID_OFFSET);
    }

    public static short producerEpoch(ByteBuffer buf, int batchStart) {
        return buf.getShort(batchStart + PRODUCER_EPOCH_OFFSET);
    }

    public static int baseSequence(ByteBuffer buf, int batchStart) {
        return buf.getInt(batchStart + BASE_SEQUENCE_OFFSET);
    }

    public static int recordsCount(ByteBuffer buf, int batchStart) {
        return buf.getInt(batchStart + RECORDS_COUNT_OFFSET);
    }

    public static void setBaseOffset(ByteBuffer buf, int batchStart, long baseOffset) {
        buf.putLong(batchStart + BASE_OFFSET_OFFSET, baseOffset);
    }

    public static void setPartitionLeaderEpoch(ByteBuffer buf, int batchStart, int leaderEpoch) {
        buf.putInt(batchStart + PARTITION_LEADER_EPOCH_OFFSET, leaderEpoch);
    }
}

package io.tidelog.protocol.record;

import static io.tidelog.protocol.record.RecordBatchLayout.*;

import io.tidelog.protocol.types.Varint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Writes one uncompressed record batch v2. Records are encoded as they are appended into a growing
 * heap buffer; {@link #build()} fills in the header and the CRC-32C and hands the bytes over.
 *
 * <p>Invariants: baseTimestamp is the first record's timestamp and every record stores its delta
 * to it; offsetDeltas are 0..n-1; maxTimestamp is the largest record timestamp. A builder with no
 * records cannot build (a batch v2 with zero records is invalid). After {@link #build()} the
 * builder must be {@link #reset()} before reuse. Not thread-safe.
 *
 * <pre>{@code
 * ByteBuffer batch = new RecordBatchBuilder()
 *         .producer(producerId, producerEpoch, baseSequence)
 *         .append(timestamp, key, value)
 *         .build();
 * }</pre>
 */
public final class RecordBatchBuilder {

    private static final List<Header> NO_HEADERS = List.of();

    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf;
    private int count;
    private long baseTimestamp;
    private long maxTimestamp;
    private long baseOffset;
    private int partitionLeaderEpoch;
    private long producerId;
    private short producerEpoch;
    private int baseSequence;
    private boolean transactional;
    private boolean logAppendTime;
    private boolean built;
    private int codec;

    public RecordBatchBuilder() {
        this(256);
    }

    public RecordBatchBuilder(int initialCapacity) {
        buf = ByteBuffer.allocate(Math.max(HEADER_SIZE, initialCapacity));
        reset();
    }

    /** Forgets all records and settings; the internal buffer is reused unless it was handed out. */
    public RecordBatchBuilder reset() {
        if (built) {
            buf = ByteBuffer.allocate(buf.capacity());
        }
        buf.clear().position(HEADER_SIZE);
        count = 0;
        baseTimestamp = NO_TIMESTAMP;
        maxTimestamp = NO_TIMESTAMP;
        baseOffset = 0;
        partitionLeaderEpoch = NO_PARTITION_LEADER_EPOCH;
        producerId = NO_PRODUCER_ID;
        producerEpoch = NO_PRODUCER_EPOCH;
        baseSequence = NO_SEQUENCE;
        transactional = false;
        logAppendTime = false;
        codec = 0;
        built = false;
        return this;
    }

    public RecordBatchBuilder baseOffset(long baseOffset) {
        this.baseOffset = baseOffset;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int partitionLeaderEpoch) {
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        return this;
    }

    /** Idempotent-producer identity and the sequence number of the first record. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    public RecordBatchBuilder logAppendTime(boolean logAppendTime) {
        this.logAppendTime = logAppendTime;
        return this;
    }

    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value) {
        return append(timestamp, key, value, NO_HEADERS);
    }

    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        if (built) {
            throw new IllegalStateException("builder already built; reset() it first");
        }
        if (count == 0) {
            baseTimestamp = timestamp;
        }
        long timestampDelta = timestamp - baseTimestamp;
        int bodySize = recordBodySize(timestampDelta, count, key, value, headers);
        ensureRemaining(Varint.sizeOfVarint(bodySize) + bodySize);
        Varint.writeVarint(bodySize, buf);
        buf.put((byte) 0);
        Varint.writeVarlong(timestampDelta, buf);
        Varint.writeVarint(count, buf);
        writeBytes(key);
        writeBytes(value);
        Varint.writeVarint(headers.size(), buf);
        for (Header header : headers) {
            writeBytes(header.key().getBytes(StandardCharsets.UTF_8));
            writeBytes(header.value());
        }
        maxTimestamp = count == 0 ? timestamp : Math.max(maxTimestamp, timestamp);
        count++;
        return this;
    }

    /** Batch size in bytes if built now (header included). */
    public int sizeInBytes() {
        return built ? buf.limit() : buf.position();
    }

    /** Batch size in bytes after appending such a record; for filling batches up to a limit. */
    public int sizeInBytesAfter(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        long timestampDelta = count == 0 ? 0 : timestamp - baseTimestamp;
        int bodySize = recordBodySize(timestampDelta, count, key, value, headers);
        return sizeInBytes() + Varint.sizeOfVarint(bodySize) + bodySize;
    }

    public int recordCount() {
        return count;
    }

    /**
     * Completes the header and CRC and returns the batch (position 0, limit = size). The buffer
     * belongs to the caller from now on.
     */
    public ByteBuffer build() {
        if (count == 0) {
            throw new IllegalStateException("a record batch needs at least one record");
        }
        if (!built) {
            writeHeader();
            built = true;
        }
        return buf.duplicate().position(0);
    }

    /**
     * Like {@link #build()}, but the records section is replaced by {@code compressor}'s output
     * (it receives the uncompressed records, position..limit, and returns the compressed block)
     * and the attributes carry {@code codec} (1 gzip, 2 snappy, 3 lz4, 4 zstd). The codec
     * implementations live with the clients; this class only frames the result.
     */
    public ByteBuffer buildCompressed(int codec, Function<ByteBuffer, ByteBuffer> compressor) {
        if (codec <= 0 || codec > COMPRESSION_CODEC_MASK) {
            throw new IllegalArgumentException("compression codec " + codec + " is not one of 1..4");
        }
        if (count == 0) {
            throw new IllegalStateException("a record batch needs at least one record");
        }
        if (built) {
            throw new IllegalStateException("builder already built; reset() it first");
        }
        ByteBuffer raw = buf.duplicate().limit(buf.position()).position(HEADER_SIZE).slice().asReadOnlyBuffer();
        ByteBuffer compressed = compressor.apply(raw);
        ByteBuffer framed = ByteBuffer.allocate(HEADER_SIZE + compressed.remaining());
        framed.position(HEADER_SIZE);
        framed.put(compressed.duplicate());
        buf = framed;
        this.codec = codec;
        writeHeader();
        built = true;
        return buf.duplicate().position(0);
    }

    private void writeHeader() {
        int size = buf.position();
        short attributes = (short) (codec | (transactional ? TRANSACTIONAL_FLAG : 0) | (logAppendTime ? LOG_APPEND_TIME_FLAG : 0));
        buf.putLong(BASE_OFFSET_OFFSET, baseOffset);
        buf.putInt(BATCH_LENGTH_OFFSET, size - LOG_OVERHEAD);
        buf.putInt(PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        buf.put(MAGIC_OFFSET, MAGIC_V2);
        buf.putShort(ATTRIBUTES_OFFSET, attributes);
        buf.putInt(LAST_OFFSET_DELTA_OFFSET, count - 1);
        buf.putLong(BASE_TIMESTAMP_OFFSET, baseTimestamp);
        buf.putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buf.putLong(PRODUCER_ID_OFFSET, producerId);
        buf.putShort(PRODUCER_EPOCH_OFFSET, producerEpoch);
        buf.putInt(BASE_SEQUENCE_OFFSET, baseSequence);
        buf.putInt(RECORDS_COUNT_OFFSET, count);
        crc.reset();
        crc.update(buf.array(), buf.arrayOffset() + CRC_START, size - CRC_START);
        buf.putInt(CRC_OFFSET, (int) crc.getValue());
        buf.limit(size);
    }

    /** Size of a record after its length prefix. */
    static int recordBodySize(long timestampDelta, int offsetDelta, byte[] key, byte[] value, List<Header> headers) {
        int size = 1 + Varint.sizeOfVarlong(timestampDelta) + Varint.sizeOfVarint(offsetDelta);
        size += sizeOfBytes(key) + sizeOfBytes(value) + Varint.sizeOfVarint(headers.size());
        for (Header header : headers) {
            size += sizeOfBytes(header.key().getBytes(StandardCharsets.UTF_8)) + sizeOfBytes(header.value());
        }
        return size;
    }

    private static int sizeOfBytes(byte[] bytes) {
        return bytes == null ? Varint.sizeOfVarint(-1) : Varint.sizeOfVarint(bytes.length) + bytes.length;
    }

    private void writeBytes(byte[] bytes) {
        if (bytes == null) {
            Varint.writeVarint(-1, buf);
        } else {
            Varint.writeVarint(bytes.length, buf);
            buf.put(bytes);
        }
    }

    private void ensureRemaining(int bytes) {
        if (buf.remaining() >= bytes) {
            return;
        }
        int needed = buf.position() + bytes;
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, buf.capacity() * 2));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }
}

package io.tidelog.client.producer;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.Header;
import io.tidelog.protocol.record.RecordBatchBuilder;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * The records bound for one partition that travel as one record batch v2. Application threads
 * append (under the partition queue's lock) while the batch is open; the sender closes it, stamps
 * the producer id, epoch and base sequence, and from then on the wire bytes never change except
 * that an epoch bump (KIP-360) may re-stamp producer fields and the CRC before a retry.
 *
 * <p>Invariants: the i-th record has offsetDelta i and completes {@code sends.get(i)}; every
 * send completes exactly once; {@code reservedBytes} of the buffer budget are held until
 * {@link #complete} or {@link #fail}.
 */
final class ProducerBatch {

    /** One application send waiting for this batch. */
    private record PendingSend(CompletableFuture<RecordMetadata> future, Callback callback, long timestamp) {
    }

    final TopicPartition topicPartition;
    final long createdMs;
    final int reservedBytes;
    private final int batchSizeLimit;
    private final RecordBatchBuilder builder;
    private final List<PendingSend> sends = new ArrayList<>();
    private boolean closedForAppends;
    private ByteBuffer wireBytes;
    private int baseSequence = RecordBatchLayout.NO_SEQUENCE;
    private int attempts;
    private long retryNotBeforeMs;
    private boolean done;
    /** Completes (normally) once every send of the batch has completed, either way. */
    final CompletableFuture<Void> completion = new CompletableFuture<>();

    ProducerBatch(TopicPartition topicPartition, int batchSizeLimit, int reservedBytes, long createdMs) {
        this.topicPartition = topicPartition;
        this.batchSizeLimit = batchSizeLimit;
        this.reservedBytes = reservedBytes;
        this.createdMs = createdMs;
        this.builder = new RecordBatchBuilder(Math.min(reservedBytes, Math.max(batchSizeLimit, 256)));
    }

    /**
     * Appends a record if the batch is open and either empty or still within batch.size after it.
     * Returns false when the caller must start a new batch.
     */
    boolean tryAppend(long timestamp, byte[] key, byte[] value, List<Header> headers,
                      CompletableFuture<RecordMetadata> future, Callback callback) {
        if (closedForAppends) {
            return false;
        }
        if (builder.recordCount() > 0
                && builder.sizeInBytesAfter(timestamp, key, value, headers) > batchSizeLimit) {
            closedForAppends = true;
            return false;
        }
        builder.append(timestamp, key, value, headers);
        sends.add(new PendingSend(future, callback, timestamp));
        return true;
    }

    boolean isFull() {
        return closedForAppends || builder.sizeInBytes() >= batchSizeLimit;
    }

    int recordCount() {
        return sends.size();
    }

    int estimatedSizeInBytes() {
        return wireBytes != null ? wireBytes.remaining() : builder.sizeInBytes();
    }

    boolean isClosed() {
        return wireBytes != null;
    }

    /** Closes the batch for appends and encodes it; called once, by the sender. */
    void close(long producerId, short producerEpoch, int baseSequence, CompressionType compression) {
        closedForAppends = true;
        this.baseSequence = baseSequence;
        builder.producer(producerId, producerEpoch, baseSequence);
        wireBytes = compression == CompressionType.NONE ? builder.build()
                : builder.buildCompressed(compression.codec(), compression::compress);
    }

    /**
     * Splits this closed batch, refused by the broker as too large, into batches of at most
     * {@code splitSize} bytes holding the same records and sends in the same order; each is closed
     * at once with consecutive sequences starting at this batch's base sequence, so batches after
     * it keep theirs. The first inherits this batch's reserved memory; this batch is left empty
     * and must be dropped without completing it.
     */
    List<ProducerBatch> split(int splitSize, long producerId, short producerEpoch, CompressionType compression) {
        List<io.tidelog.protocol.record.Record> records = new io.tidelog.protocol.record.RecordBatch()
                .wrap(wireBytes.duplicate(), 0).records(CompressionType::decompress);
        List<ProducerBatch> parts = new ArrayList<>();
        ProducerBatch current = null;
        for (int i = 0; i < records.size(); i++) {
            io.tidelog.protocol.record.Record record = records.get(i);
            PendingSend send = sends.get(i);
            if (current == null || !current.tryAppend(record.timestamp(), record.key(), record.value(),
                    record.headers(), send.future(), send.callback())) {
                current = new ProducerBatch(topicPartition, splitSize, parts.isEmpty() ? reservedBytes : 0, createdMs);
                current.attempts = attempts;
                current.tryAppend(record.timestamp(), record.key(), record.value(), record.headers(), send.future(),
                        send.callback());
                parts.add(current);
            }
        }
        int sequence = baseSequence;
        for (ProducerBatch part : parts) {
            part.close(producerId, producerEpoch, sequence, compression);
            if (sequence != RecordBatchLayout.NO_SEQUENCE) {
                sequence += part.recordCount();
            }
        }
        sends.clear();
        done = true;
        completion.complete(null);
        return parts;
    }

    /** Re-stamps producer id, epoch and base sequence (after an epoch bump) and recomputes the CRC. */
    void restamp(long producerId, short producerEpoch, int newBaseSequence) {
        ByteBuffer buf = wireBytes;
        buf.putLong(RecordBatchLayout.PRODUCER_ID_OFFSET, producerId);
        buf.putShort(RecordBatchLayout.PRODUCER_EPOCH_OFFSET, producerEpoch);
        buf.putInt(RecordBatchLayout.BASE_SEQUENCE_OFFSET, newBaseSequence);
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().position(RecordBatchLayout.CRC_START));
        buf.putInt(RecordBatchLayout.CRC_OFFSET, (int) crc.getValue());
        baseSequence = newBaseSequence;
    }

    /** The encoded batch (position 0); valid after {@link #close}. */
    ByteBuffer wireBytes() {
        return wireBytes.duplicate();
    }

    int baseSequence() {
        return baseSequence;
    }

    boolean hasSequence() {
        return baseSequence != RecordBatchLayout.NO_SEQUENCE;
    }

    int lastSequence() {
        return baseSequence + sends.size() - 1;
    }

    int attempts() {
        return attempts;
    }

    void onAttempt() {
        attempts++;
    }

    void backOffUntil(long notBeforeMs) {
        this.retryNotBeforeMs = notBeforeMs;
    }

    long retryNotBeforeMs() {
        return retryNotBeforeMs;
    }

    boolean isDone() {
        return done;
    }

    /** Completes every send: record i is at {@code baseOffset + i} (or -1 when unknown). */
    void complete(long baseOffset, long logAppendTimeMs) {
        if (done) {
            return;
        }
        done = true;
        for (int i = 0; i < sends.size(); i++) {
            PendingSend send = sends.get(i);
            long offset = baseOffset < 0 ? RecordMetadata.UNKNOWN_OFFSET : baseOffset + i;
            long timestamp = logAppendTimeMs >= 0 ? logAppendTimeMs : send.timestamp();
            RecordMetadata metadata = new RecordMetadata(topicPartition.topic(), topicPartition.partition(),
                    offset, timestamp);
            runCallback(send.callback(), metadata, null);
            send.future().complete(metadata);
        }
        completion.complete(null);
    }

    void fail(RuntimeException error) {
        if (done) {
            return;
        }
        done = true;
        for (PendingSend send : sends) {
            runCallback(send.callback(), null, error);
            send.future().completeExceptionally(error);
        }
        completion.complete(null);
    }

    private static void runCallback(Callback callback, RecordMetadata metadata, Exception error) {
        if (callback == null) {
            return;
        }
        try {
            callback.onCompletion(metadata, error);
        } catch (RuntimeException e) {
            // A throwing callback must not stop the other sends of the batch from completing.
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
        }
    }

    @Override
    public String toString() {
        return "ProducerBatch(" + topicPartition + ", records=" + sends.size() + ", seq=" + baseSequence
                + ", attempts=" + attempts + ")";
    }
}

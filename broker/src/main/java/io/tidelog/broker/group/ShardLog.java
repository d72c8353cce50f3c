package io.tidelog.broker.group;

import io.tidelog.broker.Time;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Appends a shard's records to its {@code __consumer_offsets} partition and hands the outcome
 * back on the shard's owner thread, so callbacks may touch group state.
 */
final class ShardLog {

    /** Tombstone batches are cut at this size so expiring many offsets never exceeds a batch limit. */
    static final int CHUNK_BYTES = 256 * 1024;

    private final int partition;
    private final OffsetsLog log;
    private final Executor owner;
    private final Time time;

    ShardLog(int partition, OffsetsLog log, Executor owner, Time time) {
        this.partition = partition;
        this.log = log;
        this.owner = owner;
        this.time = time;
    }

    /** Appends all records as one batch (all or nothing). */
    void append(List<OffsetsRecord> records, Consumer<Errors> done) {
        RecordBatchBuilder builder = new RecordBatchBuilder(1024);
        long now = time.milliseconds();
        for (OffsetsRecord record : records) {
            builder.append(now, record.key(), record.value());
        }
        appendBatch(builder.build(), done);
    }

    /** Appends records in batches of at most about {@link #CHUNK_BYTES}; {@code done} gets the first error. */
    void appendChunked(List<OffsetsRecord> records, Consumer<Errors> done) {
        if (records.isEmpty()) {
            done.accept(Errors.NONE);
            return;
        }
        long now = time.milliseconds();
        List<ByteBuffer> batches = new ArrayList<>();
        RecordBatchBuilder builder = new RecordBatchBuilder(1024);
        for (OffsetsRecord record : records) {
            if (builder.recordCount() > 0
                    && builder.sizeInBytesAfter(now, record.key(), record.value(), List.of()) > CHUNK_BYTES) {
                batches.add(builder.build());
                builder = new RecordBatchBuilder(1024);
            }
            builder.append(now, record.key(), record.value());
        }
        batches.add(builder.build());
        AtomicInteger remaining = new AtomicInteger(batches.size());
        Errors[] first = {Errors.NONE};
        for (ByteBuffer batch : batches) {
            appendBatch(batch, error -> {
                if (error != Errors.NONE && first[0] == Errors.NONE) {
                    first[0] = error;
                }
                if (remaining.decrementAndGet() == 0) {
                    done.accept(first[0]);
                }
            });
        }
    }

    private void appendBatch(ByteBuffer batch, Consumer<Errors> done) {
        log.append(partition, batch, error -> {
            try {
                owner.execute(() -> done.accept(error));
            } catch (RejectedExecutionException e) {
                // The owner loop has stopped (broker shutdown): nobody is left to answer.
            }
        });
    }
}

package io.tidelog.broker.group;

import io.tidelog.protocol.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** The coordinator's view of {@code __consumer_offsets}: append a batch, replay a partition. */
public interface OffsetsLog {

    /** Receives each record of a partition in offset order; {@code value} null = tombstone. */
    @FunctionalInterface
    interface RecordVisitor {
        void visit(long offset, byte[] key, byte[] value);
    }

    /**
     * Appends one record batch to {@code partition} and calls {@code done} with NONE once it is
     * committed (acks=all on the local log), or with the append's error. Called on the partition's
     * owner thread; {@code done} may run on any thread.
     */
    void append(int partition, ByteBuffer batch, Consumer<Errors> done);

    /** Visits every record of {@code partition} from its log start offset. Blocking; call before serving. */
    void forEachRecord(int partition, RecordVisitor visitor) throws IOException;
}

package io.tidelog.broker.log;

import io.tidelog.protocol.record.RecordBatch;

/**
 * Called once per batch by {@link PartitionLog#forEachBatch}. The view covers the whole batch
 * (so {@link RecordBatch#records()} works) but is valid only during the call and must not be kept.
 * Headers were checked (length, magic); the CRC was verified when the batch was appended or
 * recovered, not again here.
 */
@FunctionalInterface
public interface BatchVisitor {

    void visit(RecordBatch batch);
}

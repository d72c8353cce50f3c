package io.tidelog.broker.log;

import io.tidelog.protocol.record.RecordBatch;

/**
 * Called once per batch by {@link PartitionLog#forEachBatch}. The view is valid only during the
 * call and must not be kept; header fields are trustworthy, record bytes were not re-verified.
 */
@FunctionalInterface
public interface BatchVisitor {

    void visit(RecordBatch batch);
}

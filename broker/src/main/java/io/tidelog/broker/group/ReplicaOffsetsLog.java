package io.tidelog.broker.group;

import io.tidelog.broker.replica.Partition;
import io.tidelog.broker.replica.PartitionRecords;
import io.tidelog.broker.replica.ReplicaManager;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.record.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code __consumer_offsets} as the broker hosts it: appends go through {@link ReplicaManager}
 * with acks=all (answered once the high-water mark passes the batch), exactly like a producer's,
 * so fetchers, purgatories and the high-water mark see them; loading reads the partition logs.
 */
public final class ReplicaOffsetsLog implements OffsetsLog {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaOffsetsLog.class);
    private static final short ACKS_ALL = -1;

    private final ReplicaManager replicaManager;
    private final long timeoutMs;

    public ReplicaOffsetsLog(ReplicaManager replicaManager, long timeoutMs) {
        this.replicaManager = replicaManager;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void append(int partition, ByteBuffer batch, Consumer<Errors> done) {
        TopicPartition tp = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, partition);
        replicaManager.appendRecords(List.of(new PartitionRecords(tp, batch)), ACKS_ALL, timeoutMs,
                results -> done.accept(results.get(0).error()));
    }

    @Override
    public void forEachRecord(int partition, RecordVisitor visitor) throws IOException {
        Partition p = replicaManager.partition(GroupCoordinator.OFFSETS_TOPIC, partition);
        if (p == null) {
            return;
        }
        p.log().forEachBatch(p.logStartOffset(), batch -> {
            if (batch.isControl()) {
                return;
            }
            if (batch.isCompressed()) {
                LOG.warn("Skipping a compressed batch at offset {} of {}-{}: the coordinator writes none",
                        batch.baseOffset(), GroupCoordinator.OFFSETS_TOPIC, partition);
                return;
            }
            for (Record record : batch.records()) {
                visitor.visit(record.offset(), record.key(), record.value());
            }
        });
    }
}

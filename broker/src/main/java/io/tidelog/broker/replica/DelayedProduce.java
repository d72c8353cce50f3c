package io.tidelog.broker.replica;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An acks=all produce waiting until the high-water mark of every partition it appended to has
 * passed its batch. Partitions that failed to append are answered with their error at once;
 * on timeout the ones still waiting get REQUEST_TIMED_OUT.
 */
final class DelayedProduce extends DelayedOperation {

    private final List<AppendResult> results;
    private final Map<TopicPartition, Partition> partitions;
    private final Consumer<List<AppendResult>> onDone;

    DelayedProduce(List<AppendResult> results, Map<TopicPartition, Partition> partitions,
                   Consumer<List<AppendResult>> onDone) {
        this.results = results;
        this.partitions = partitions;
        this.onDone = onDone;
    }

    @Override
    protected boolean isSatisfied() {
        for (AppendResult result : results) {
            if (!isDone(result)) {
                return false;
            }
        }
        return true;
    }

    private boolean isDone(AppendResult result) {
        if (result.error() != io.tidelog.protocol.Errors.NONE) {
            return true;
        }
        Partition partition = partitions.get(result.topicPartition());
        return partition == null || partition.isDeleted() || partition.highWatermark() > result.lastOffset();
    }

    @Override
    protected void onComplete(boolean expired) {
        if (expired) {
            for (AppendResult result : results) {
                if (!isDone(result)) {
                    result.timedOut();
                }
            }
        }
        onDone.accept(results);
    }
}

package io.tidelog.broker.replica;

import java.util.List;

/**
 * A long-poll fetch: waits until at least {@code minBytes} are readable below the high-water mark
 * across its partitions, a partition has an error to report, or maxWait passes. Completion calls
 * back into the fetch handler, which reads again and answers.
 */
final class DelayedFetch extends DelayedOperation {

    private final ReplicaManager replicaManager;
    private final List<FetchPartitionRequest> partitions;
    private final int minBytes;
    private final Runnable onDone;

    DelayedFetch(ReplicaManager replicaManager, List<FetchPartitionRequest> partitions, int minBytes, Runnable onDone) {
        this.replicaManager = replicaManager;
        this.partitions = partitions;
        this.minBytes = minBytes;
        this.onDone = onDone;
    }

    @Override
    protected boolean isSatisfied() {
        return replicaManager.fetchReady(partitions, minBytes);
    }

    @Override
    protected void onComplete(boolean expired) {
        onDone.run();
    }
}

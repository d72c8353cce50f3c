package io.tidelog.broker.replica;

import java.util.List;

/**
 * A long-poll fetch: waits until at least {@code minBytes} are readable below the high-water mark
 * across its partitions, a partition has an error to report, or maxWait passes. Completion calls
 * back into the fetch handler, which reads again and answers.
 */
final class DelayedFetch extends DelayedOperation {

    private final FetchReads reads;
    private final List<FetchPartitionRequest> partitions;
    private final int minBytes;
    private final Runnable onDone;

    DelayedFetch(FetchReads reads, List<FetchPartitionRequest> partitions, int minBytes, Runnable onDone) {
        this.reads = reads;
        this.partitions = partitions;
        this.minBytes = minBytes;
        this.onDone = onDone;
    }

    @Override
    protected boolean isSatisfied() {
        return reads.ready(partitions, minBytes);
    }

    @Override
    protected void onComplete(boolean expired) {
        onDone.run();
    }
}

package io.tidelog.client.producer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses partitions like Kafka's default partitioner: a record with a key goes to
 * murmur2(key) mod partitions; records without a key stick to one partition of their topic until
 * the accumulator completes a batch there, then move to another (so null-key records fill batches
 * instead of spraying tiny ones).
 *
 * <p>Invariant: the sticky choice of a topic changes only through {@link #onBatchCompleted} for
 * the partition it currently points at; concurrent callers agree on one choice.
 */
final class StickyPartitioner {

    private final boolean ignoreKeys;
    private final ConcurrentHashMap<String, Integer> sticky = new ConcurrentHashMap<>();

    StickyPartitioner(boolean ignoreKeys) {
        this.ignoreKeys = ignoreKeys;
    }

    int partition(String topic, byte[] keyBytes, int numPartitions) {
        if (keyBytes != null && !ignoreKeys) {
            return Murmur2.partitionForKey(keyBytes, numPartitions);
        }
        int chosen = sticky.computeIfAbsent(topic, t -> ThreadLocalRandom.current().nextInt(numPartitions));
        if (chosen >= numPartitions) {
            chosen = sticky.compute(topic, (t, old) -> ThreadLocalRandom.current().nextInt(numPartitions));
        }
        return chosen;
    }

    /** A batch of {@code topic}/{@code partition} filled up: null-key records move elsewhere. */
    void onBatchCompleted(String topic, int partition, int numPartitions) {
        Integer current = sticky.get(topic);
        if (current == null || current != partition) {
            return;
        }
        int next = numPartitions <= 1 ? 0
                : (partition + 1 + ThreadLocalRandom.current().nextInt(numPartitions - 1)) % numPartitions;
        sticky.replace(topic, current, next);
    }
}

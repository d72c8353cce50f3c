package io.tidelog.perf.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a history of acknowledged sends and consumed records for lost, duplicated and reordered
 * records. Each record is named by its producer and that producer's sequence number (0, 1, 2, ...
 * in send order); the checker is told where each was acknowledged and where each was read.
 *
 * <ul>
 *   <li><b>lost</b>: acknowledged, never consumed. For a producer with no acknowledgements at all
 *       (a consume-only run reading another process's records), every sequence below its highest
 *       consumed one that was never consumed counts as lost, on partition -1 (unknown).</li>
 *   <li><b>duplicated</b>: a consumption of a record already consumed at another (partition,
 *       offset); one count per extra consumption.</li>
 *   <li><b>reordered</b>: in one partition, in the order consumed, a record of a producer whose
 *       sequence is lower than one of that producer's already consumed there.</li>
 *   <li><b>redelivered</b> (not an anomaly): the same (partition, offset) consumed again, as after
 *       a consumer restart or rebalance.</li>
 * </ul>
 *
 * <p>Memory: 24 bytes per sequence number of each producer. Thread-safe: producers' callbacks and
 * consumers may call it concurrently; {@link #result()} is meant for after the drain.
 */
public final class DeliveryChecker {

    private static final int NONE = -1;
    private static final int MAX_EXAMPLES = 10;

    private final Map<Integer, ProducerHistory> producers = new HashMap<>();
    private final Map<Long, Long> highestSequenceByPartitionAndProducer = new HashMap<>();
    private final Map<Integer, long[]> countsByPartition = new TreeMap<>();
    private final List<String> examples = new ArrayList<>();
    private long acknowledged;
    private long consumed;
    private long duplicated;
    private long reordered;
    private long redelivered;

    /** The broker acknowledged {@code producerId}'s record {@code sequence} at {@code partition}/{@code offset}. */
    public synchronized void acknowledged(int producerId, long sequence, int partition, long offset) {
        ProducerHistory h = history(producerId, sequence);
        int i = Math.toIntExact(sequence);
        if (h.ackPartition[i] == NONE) {
            acknowledged++;
            counts(partition)[PartitionCounts.ACKNOWLEDGED]++;
        }
        h.ackPartition[i] = partition;
        h.ackOffset[i] = offset;
        h.acknowledgedAny = true;
    }

    /** A consumer read {@code producerId}'s record {@code sequence} at {@code partition}/{@code offset}. */
    public synchronized void consumed(int partition, long offset, int producerId, long sequence) {
        ProducerHistory h = history(producerId, sequence);
        int i = Math.toIntExact(sequence);
        long[] counts = counts(partition);
        if (h.consumedPartition[i] == NONE) {
            h.consumedPartition[i] = partition;
            h.consumedOffset[i] = offset;
            h.highestConsumed = Math.max(h.highestConsumed, sequence);
            consumed++;
            counts[PartitionCounts.CONSUMED]++;
            checkOrder(partition, offset, producerId, sequence, counts);
        } else if (h.consumedPartition[i] == partition && h.consumedOffset[i] == offset) {
            redelivered++;
        } else {
            duplicated++;
            counts[PartitionCounts.DUPLICATED]++;
            example("duplicated: producer " + producerId + " sequence " + sequence + " at partition " + partition
                    + " offset " + offset + ", first read at partition " + h.consumedPartition[i] + " offset "
                    + h.consumedOffset[i]);
        }
    }

    private void checkOrder(int partition, long offset, int producerId, long sequence, long[] counts) {
        long key = ((long) partition << 32) | (producerId & 0xFFFFFFFFL);
        Long highest = highestSequenceByPartitionAndProducer.get(key);
        if (highest != null && sequence < highest) {
            reordered++;
            counts[PartitionCounts.REORDERED]++;
            example("reordered: producer " + producerId + " sequence " + sequence + " at partition " + partition
                    + " offset " + offset + " after its sequence " + highest);
        } else {
            highestSequenceByPartitionAndProducer.put(key, sequence);
        }
    }

    /** The anomalies found in everything reported so far. */
    public synchronized Result result() {
        Map<Integer, long[]> counts = new TreeMap<>();
        countsByPartition.forEach((p, c) -> counts.put(p, c.clone()));
        List<String> lostExamples = new ArrayList<>();
        long lost = 0;
        for (Map.Entry<Integer, ProducerHistory> e : new TreeMap<>(producers).entrySet()) {
            ProducerHistory h = e.getValue();
            long limit = h.acknowledgedAny ? h.size : h.highestConsumed + 1;
            for (int i = 0; i < limit; i++) {
                boolean expected = !h.acknowledgedAny || h.ackPartition[i] != NONE;
                if (expected && h.consumedPartition[i] == NONE) {
                    lost++;
                    int partition = h.acknowledgedAny ? h.ackPartition[i] : NONE;
                    counts.computeIfAbsent(partition, p -> new long[PartitionCounts.FIELDS])[PartitionCounts.LOST]++;
                    if (lostExamples.size() < MAX_EXAMPLES) {
                        lostExamples.add("lost: producer " + e.getKey() + " sequence " + i
                                + (h.acknowledgedAny ? " acknowledged at partition " + partition + " offset " + h.ackOffset[i]
                                : " (a gap in what was consumed)"));
                    }
                }
            }
        }
        List<PartitionCounts> partitions = new ArrayList<>();
        counts.forEach((p, c) -> partitions.add(new PartitionCounts(p, c[PartitionCounts.ACKNOWLEDGED],
                c[PartitionCounts.CONSUMED], c[PartitionCounts.LOST], c[PartitionCounts.DUPLICATED],
                c[PartitionCounts.REORDERED])));
        List<String> allExamples = new ArrayList<>(lostExamples);
        allExamples.addAll(examples);
        return new Result(acknowledged, consumed, lost, duplicated, reordered, redelivered, partitions,
                allExamples.subList(0, Math.min(allExamples.size(), MAX_EXAMPLES)));
    }

    private long[] counts(int partition) {
        return countsByPartition.computeIfAbsent(partition, p -> new long[PartitionCounts.FIELDS]);
    }

    private ProducerHistory history(int producerId, long sequence) {
        if (sequence < 0 || sequence >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("sequence " + sequence + " of producer " + producerId + " out of range");
        }
        ProducerHistory h = producers.computeIfAbsent(producerId, id -> new ProducerHistory());
        h.ensure((int) sequence);
        return h;
    }

    private void example(String text) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(text);
        }
    }

    /** The outcome of a check. {@link #anomalies()} is lost + duplicated + reordered. */
    public record Result(long acknowledged, long consumed, long lost, long duplicated, long reordered,
                         long redelivered, List<PartitionCounts> partitions, List<String> examples) {

        public Result {
            partitions = List.copyOf(partitions);
            examples = List.copyOf(examples);
        }

        public long anomalies() {
            return lost + duplicated + reordered;
        }

        public boolean clean() {
            return anomalies() == 0;
        }
    }

    /** Counts of one partition; partition -1 holds losses whose partition is unknown. */
    public record PartitionCounts(int partition, long acknowledged, long consumed, long lost, long duplicated,
                                  long reordered) {
        static final int ACKNOWLEDGED = 0;
        static final int CONSUMED = 1;
        static final int LOST = 2;
        static final int DUPLICATED = 3;
        static final int REORDERED = 4;
        static final int FIELDS = 5;
    }

    /** Where each of one producer's sequences was acknowledged and first consumed; -1 partition = not (yet). */
    private static final class ProducerHistory {
        int size;
        int[] ackPartition = new int[0];
        long[] ackOffset = new long[0];
        int[] consumedPartition = new int[0];
        long[] consumedOffset = new long[0];
        boolean acknowledgedAny;
        long highestConsumed = -1;

        void ensure(int sequence) {
            if (sequence < ackPartition.length) {
                size = Math.max(size, sequence + 1);
                return;
            }
            int capacity = Math.max(1024, Math.max(sequence + 1, (int) Math.min(Integer.MAX_VALUE - 8, 2L * ackPartition.length)));
            int old = ackPartition.length;
            ackPartition = Arrays.copyOf(ackPartition, capacity);
            consumedPartition = Arrays.copyOf(consumedPartition, capacity);
            ackOffset = Arrays.copyOf(ackOffset, capacity);
            consumedOffset = Arrays.copyOf(consumedOffset, capacity);
            Arrays.fill(ackPartition, old, capacity, NONE);
            Arrays.fill(consumedPartition, old, capacity, NONE);
            size = Math.max(size, sequence + 1);
        }
    }
}

package io.tidelog.broker.replica;

import java.util.HashMap;
import java.util.Map;

/**
 * Idempotent-producer state of one partition: per producer id, its epoch and the last
 * {@value #RETAINED_BATCHES} batches it appended (sequence range and offsets).
 *
 * <p>Rules (the facts Kafka clients rely on):
 * <ul>
 *   <li>A batch whose (epoch, first sequence, last sequence) equals a retained batch is a retry:
 *       it is acknowledged with the ORIGINAL offsets and nothing is appended.</li>
 *   <li>An epoch older than the producer's current one is {@link Verdict#INVALID_EPOCH}.</li>
 *   <li>A newer epoch must start at sequence 0 (KIP-360 epoch bump), unless the producer is
 *       unknown here: then any sequence is accepted (its earlier batches may have been removed by
 *       retention or DeleteRecords).</li>
 *   <li>Within an epoch the first sequence must follow the last appended one
 *       (wrapping from {@link Integer#MAX_VALUE} to 0), else {@link Verdict#OUT_OF_ORDER}.</li>
 * </ul>
 *
 * <p>Threading: confined to the partition's owner thread. State is rebuilt after a restart by
 * replaying batch headers through {@link #onBatchAppended} in log order.
 */
public final class ProducerStateManager {

    public static final int RETAINED_BATCHES = 5;
    public static final long NO_PRODUCER_ID = -1L;

    public enum Verdict { APPEND, DUPLICATE, OUT_OF_ORDER, INVALID_EPOCH }

    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    private long duplicateFirstOffset = -1;
    private long duplicateLastOffset = -1;

    /** Decides what to do with a batch from {@code producerId}; does not change any state. */
    public Verdict check(long producerId, short epoch, int firstSequence, int lastSequence) {
        if (producerId == NO_PRODUCER_ID) {
            return Verdict.APPEND;
        }
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            return Verdict.APPEND;
        }
        if (epoch < entry.epoch) {
            return Verdict.INVALID_EPOCH;
        }
        if (epoch > entry.epoch) {
            return firstSequence == 0 ? Verdict.APPEND : Verdict.OUT_OF_ORDER;
        }
        int slot = entry.find(firstSequence, lastSequence);
        if (slot >= 0) {
            duplicateFirstOffset = entry.firstOffsets[slot];
            duplicateLastOffset = entry.lastOffsets[slot];
            return Verdict.DUPLICATE;
        }
        if (entry.isEmpty() || isNextSequence(entry.lastSequence(), firstSequence)) {
            return Verdict.APPEND;
        }
        return Verdict.OUT_OF_ORDER;
    }

    /** The base offset of the batch the last {@link Verdict#DUPLICATE} matched. */
    public long duplicateFirstOffset() {
        return duplicateFirstOffset;
    }

    /** The last offset of the batch the last {@link Verdict#DUPLICATE} matched. */
    public long duplicateLastOffset() {
        return duplicateLastOffset;
    }

    /** Records a batch now in the log (after a successful append, or while replaying the log). */
    public void onBatchAppended(long producerId, short epoch, int firstSequence, int lastSequence,
                                long firstOffset, long lastOffset) {
        if (producerId == NO_PRODUCER_ID) {
            return;
        }
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(epoch));
        if (epoch != entry.epoch) {
            entry.reset(epoch);
        }
        entry.add(firstSequence, lastSequence, firstOffset, lastOffset);
    }

    /** Forgets everything (before a rebuild, e.g. after truncation). */
    public void clear() {
        producers.clear();
    }

    public int producerCount() {
        return producers.size();
    }

    private static boolean isNextSequence(int lastSequence, int nextFirstSequence) {
        return nextFirstSequence == (lastSequence == Integer.MAX_VALUE ? 0 : lastSequence + 1);
    }

    /** One producer's epoch and its last batches in a ring buffer, oldest overwritten first. */
    private static final class ProducerEntry {
        final int[] firstSequences = new int[RETAINED_BATCHES];
        final int[] lastSequences = new int[RETAINED_BATCHES];
        final long[] firstOffsets = new long[RETAINED_BATCHES];
        final long[] lastOffsets = new long[RETAINED_BATCHES];
        short epoch;
        int size;
        int next;

        ProducerEntry(short epoch) {
            this.epoch = epoch;
        }

        void reset(short newEpoch) {
            epoch = newEpoch;
            size = 0;
            next = 0;
        }

        boolean isEmpty() {
            return size == 0;
        }

        int lastSequence() {
            return lastSequences[Math.floorMod(next - 1, RETAINED_BATCHES)];
        }

        int find(int firstSequence, int lastSequence) {
            for (int i = 0; i < size; i++) {
                if (firstSequences[i] == firstSequence && lastSequences[i] == lastSequence) {
                    return i;
                }
            }
            return -1;
        }

        void add(int firstSequence, int lastSequence, long firstOffset, long lastOffset) {
            firstSequences[next] = firstSequence;
            lastSequences[next] = lastSequence;
            firstOffsets[next] = firstOffset;
            lastOffsets[next] = lastOffset;
            next = (next + 1) % RETAINED_BATCHES;
            size = Math.min(size + 1, RETAINED_BATCHES);
        }
    }
}

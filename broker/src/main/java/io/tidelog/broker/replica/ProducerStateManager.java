package io.tidelog.broker.replica;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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

    /**
     * Writes every producer's epoch and retained batches (oldest first), so a clean restart can
     * skip rebuilding from the log. Layout: int producerCount, then per producer: long id,
     * short epoch, int batchCount, batchCount x (int firstSeq, int lastSeq, long firstOffset,
     * long lastOffset).
     */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(producers.size());
        for (Map.Entry<Long, ProducerEntry> e : producers.entrySet()) {
            ProducerEntry entry = e.getValue();
            out.writeLong(e.getKey());
            out.writeShort(entry.epoch);
            out.writeInt(entry.size);
            for (int i = 0; i < entry.size; i++) {
                int slot = Math.floorMod(entry.next - entry.size + i, RETAINED_BATCHES);
                out.writeInt(entry.firstSequences[slot]);
                out.writeInt(entry.lastSequences[slot]);
                out.writeLong(entry.firstOffsets[slot]);
                out.writeLong(entry.lastOffsets[slot]);
            }
        }
    }

    /** Replaces the state with what {@link #writeTo} wrote; throws on a malformed snapshot. */
    public void readFrom(DataInputStream in) throws IOException {
        producers.clear();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative producer count " + count);
        }
        for (int p = 0; p < count; p++) {
            long producerId = in.readLong();
            short epoch = in.readShort();
            int batches = in.readInt();
            if (batches < 0 || batches > RETAINED_BATCHES) {
                throw new IOException("producer " + producerId + " has " + batches + " batches");
            }
            for (int i = 0; i < batches; i++) {
                onBatchAppended(producerId, epoch, in.readInt(), in.readInt(), in.readLong(), in.readLong());
            }
        }
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

package io.tidelog.broker.replica;

import io.netty.util.concurrent.EventExecutor;
import io.tidelog.broker.log.LogAppendResult;
import io.tidelog.broker.log.PartitionLog;
import io.tidelog.broker.metrics.MeteredPartition;
import io.tidelog.broker.metrics.TopicMeters;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.broker.metadata.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition this broker leads: its log, its high-water mark, its leader epoch, its in-sync
 * replica set and its idempotent-producer state.
 *
 * <p>Invariants:
 * <ul>
 *   <li>{@code logStartOffset <= highWatermark <= logEndOffset}; the high-water mark never moves
 *       back while this broker leads. It is min LEO over the ISR; with the ISR = {this broker}
 *       it reaches the LEO right after each append, but it stays a separate value so replication
 *       can hold it back.</li>
 *   <li>Single writer: appends, high-water-mark moves and producer-state changes run only on
 *       {@link #owner()}. LEO, high-water mark, log start offset and leader epoch are published
 *       through volatiles; readers on other threads never lock.</li>
 *   <li>A produce batch is appended only if its producer state check passes; a retry of one of
 *       the producer's last five batches is answered with its original offsets, appending nothing.</li>
 * </ul>
 */
public final class Partition implements MeteredPartition {

    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);
    /** In the partition directory; written at clean shutdown, read and deleted at the next start. */
    static final String PRODUCER_SNAPSHOT_FILE = "producer-state.snapshot";

    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final EventExecutor owner;
    private final int localNodeId;
    private final ProducerStateManager producers = new ProducerStateManager();
    private final RecordBatch batch = new RecordBatch();
    /** The topic's traffic counters; appends count into them. */
    private final TopicMeters meters;
    private volatile long highWatermark;
    private volatile int leaderEpoch;
    private volatile int minInsyncReplicas;
    private volatile boolean logAppendTime;
    private volatile boolean deleted;

    private Partition(TopicPartition topicPartition, PartitionLog log, EventExecutor owner, int localNodeId,
                      int leaderEpoch, int minInsyncReplicas, TopicMeters meters) {
        this.topicPartition = topicPartition;
        this.meters = meters;
        this.log = log;
        this.owner = owner;
        this.localNodeId = localNodeId;
        this.leaderEpoch = leaderEpoch;
        this.minInsyncReplicas = minInsyncReplicas;
    }

    /**
     * Becomes leader of an opened log: the leader epoch continues from the log's epoch history,
     * producer state is rebuilt from the batch headers, and the high-water mark starts at the LEO
     * (with this broker as the only replica everything in the log was acknowledged or could have been).
     */
    public static Partition openAsLeader(TopicPartition topicPartition, PartitionLog log, EventExecutor owner,
                                         int localNodeId, int minInsyncReplicas) throws IOException {
        return openAsLeader(topicPartition, log, owner, localNodeId, minInsyncReplicas, TopicMeters.NONE);
    }

    /** As above, counting appended bytes and records into {@code meters}. */
    public static Partition openAsLeader(TopicPartition topicPartition, PartitionLog log, EventExecutor owner,
                                         int localNodeId, int minInsyncReplicas, TopicMeters meters)
            throws IOException {
        int epoch = Math.max(0, log.leaderEpochCache().latestEpoch());
        Partition partition = new Partition(topicPartition, log, owner, localNodeId, epoch, minInsyncReplicas, meters);
        if (!partition.loadProducerSnapshot()) {
            partition.rebuildProducerState();
        }
        partition.highWatermark = log.logEndOffset();
        return partition;
    }

    private void rebuildProducerState() throws IOException {
        producers.clear();
        log.forEachBatch(log.logStartOffset(), b -> producers.onBatchAppended(b.producerId(), b.producerEpoch(),
                b.baseSequence(), b.lastSequence(), b.baseOffset(), b.lastOffset()));
    }

    /**
     * Uses the snapshot a clean shutdown left if it was taken at the current log end offset, and
     * deletes it either way (it describes one moment; after more appends it is stale).
     */
    private boolean loadProducerSnapshot() {
        Path file = log.dir().resolve(PRODUCER_SNAPSHOT_FILE);
        if (!Files.exists(file)) {
            return false;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            long endOffset = in.readLong();
            if (endOffset != log.logEndOffset()) {
                return false;
            }
            producers.readFrom(in);
            return true;
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable producer-state snapshot {}: {}", file, e.toString());
            return false;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Could not delete producer-state snapshot {}: {}", file, e.toString());
            }
        }
    }

    /**
     * Clean shutdown, after appends stopped: writes the producer state at the current log end
     * offset so the next start does not scan the whole log. Blocking (fsync).
     */
    void writeProducerSnapshot() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(log.logEndOffset());
            producers.writeTo(out);
        }
        AtomicFiles.write(log.dir().resolve(PRODUCER_SNAPSHOT_FILE), bytes.toByteArray());
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public EventExecutor owner() {
        return owner;
    }

    public PartitionLog log() {
        return log;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** With no transactions the last stable offset is the high-water mark. */
    public long lastStableOffset() {
        return highWatermark;
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    @Override
    public int segmentCount() {
        return log.segmentCount();
    }

    @Override
    public long sizeInBytes() {
        return log.sizeInBytes();
    }

    /** The topic's traffic counters (fetches count what they send into them). */
    public TopicMeters meters() {
        return meters;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public int leaderId() {
        return localNodeId;
    }

    public Set<Integer> replicas() {
        return Set.of(localNodeId);
    }

    public Set<Integer> inSyncReplicas() {
        return Set.of(localNodeId);
    }

    /** Fewer replicas in sync than assigned. */
    public boolean isUnderReplicated() {
        return inSyncReplicas().size() < replicas().size();
    }

    public boolean isDeleted() {
        return deleted;
    }

    void setMinInsyncReplicas(int value) {
        this.minInsyncReplicas = value;
    }

    /** {@code message.timestamp.type=LogAppendTime}: the broker's clock stamps every appended batch. */
    void setLogAppendTime(boolean value) {
        this.logAppendTime = value;
    }

    /** Owner thread: the partition is going away; later appends fail. */
    void markDeleted() {
        deleted = true;
    }

    /**
     * FENCED_LEADER_EPOCH when the client's view is older than ours, UNKNOWN_LEADER_EPOCH when
     * newer, NONE when equal or not given (-1).
     */
    public Errors checkLeaderEpoch(int currentLeaderEpoch) {
        if (currentLeaderEpoch < 0) {
            return Errors.NONE;
        }
        int epoch = leaderEpoch;
        if (currentLeaderEpoch < epoch) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        return currentLeaderEpoch > epoch ? Errors.UNKNOWN_LEADER_EPOCH : Errors.NONE;
    }

    /**
     * Leader append of one produce request's records for this partition. Owner thread only.
     * Produce v3+ carries exactly one batch per partition.
     */
    AppendResult appendAsLeader(ByteBuffer records, short requiredAcks, AppendResult result) {
        if (deleted) {
            return result.fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition " + topicPartition + " was deleted");
        }
        int isrSize = inSyncReplicas().size();
        if (requiredAcks == -1 && isrSize < minInsyncReplicas) {
            return result.fail(Errors.NOT_ENOUGH_REPLICAS, "ISR has " + isrSize + " replica(s), min.insync.replicas is "
                    + minInsyncReplicas);
        }
        if (!records.hasRemaining()) {
            return result.fail(Errors.INVALID_RECORD, "produce request has no record batch for " + topicPartition);
        }
        int start = records.position();
        BatchValidation header = batch.wrap(records, start).validateHeader();
        if (!header.isValid()) {
            return result.fail(Errors.CORRUPT_MESSAGE, "record batch is corrupt: " + header);
        }
        if (start + batch.sizeInBytes() != records.limit()) {
            return result.fail(Errors.INVALID_RECORD, "produce requests must carry exactly one record batch per partition");
        }
        if (batch.isTransactional() || batch.isControl()) {
            return result.fail(Errors.INVALID_TXN_STATE, "transactions are not supported");
        }
        long producerId = batch.producerId();
        short producerEpoch = batch.producerEpoch();
        int firstSequence = batch.baseSequence();
        int lastSequence = batch.lastSequence();
        switch (producers.check(producerId, producerEpoch, firstSequence, lastSequence)) {
            case DUPLICATE:
                return result.succeed(producers.duplicateFirstOffset(), producers.duplicateLastOffset(),
                        log.logStartOffset());
            case OUT_OF_ORDER:
                return result.fail(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "sequence " + firstSequence
                        + " of producer " + producerId + " does not follow its last appended batch");
            case INVALID_EPOCH:
                return result.fail(Errors.INVALID_PRODUCER_EPOCH, "producer " + producerId + " epoch "
                        + producerEpoch + " is older than the current one");
            default:
                break;
        }
        LogAppendResult appended = log.append(records, leaderEpoch, logAppendTime);
        if (!appended.isSuccess()) {
            return result.fail(Errors.forCode(appended.error().kafkaErrorCode()), appended.message());
        }
        producers.onBatchAppended(producerId, producerEpoch, firstSequence, lastSequence,
                appended.firstOffset(), appended.lastOffset());
        maybeIncrementHighWatermark();
        meters.recordIn(records.limit() - start, appended.lastOffset() - appended.firstOffset() + 1);
        return result.succeed(appended.firstOffset(), appended.lastOffset(), log.logStartOffset(),
                appended.logAppendTime());
    }

    /** HW = min LEO over the ISR; only this broker is in it. Owner thread. Returns whether it moved. */
    boolean maybeIncrementHighWatermark() {
        long candidate = log.logEndOffset();
        if (candidate > highWatermark) {
            highWatermark = candidate;
            return true;
        }
        return false;
    }

    /**
     * DeleteRecords: moves the log start offset (low-water mark) to {@code offset}, never past the
     * high-water mark. Owner thread. Returns the error and leaves the offsets unchanged on failure.
     */
    Errors deleteRecordsBefore(long offset) throws IOException {
        if (deleted) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (offset > highWatermark || offset < 0) {
            return Errors.OFFSET_OUT_OF_RANGE;
        }
        if (offset > log.logStartOffset() && !log.advanceLogStartOffset(offset)) {
            return Errors.OFFSET_OUT_OF_RANGE;
        }
        return Errors.NONE;
    }

    @Override
    public String toString() {
        return "Partition(" + topicPartition + ", leaderEpoch=" + leaderEpoch + ", highWatermark=" + highWatermark
                + ", logEndOffset=" + log.logEndOffset() + ")";
    }
}

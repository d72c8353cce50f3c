package io.tidelog.broker.replica;

import io.netty.util.concurrent.EventExecutor;
import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.config.TopicConfig;
import io.tidelog.broker.log.LogManager;
import io.tidelog.broker.log.PartitionLog;
import io.tidelog.broker.metadata.MetadataImage;
import io.tidelog.broker.metadata.MetadataListener;
import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.metrics.BrokerMetrics;
import io.tidelog.broker.metrics.PartitionMeters;
import io.tidelog.broker.metrics.TopicMeters;
import io.tidelog.broker.network.EventLoops;
import io.tidelog.protocol.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, and the produce, fetch and DeleteRecords entry points.
 *
 * <p>Threading (Singular Update Queue): each partition's appends, high-water-mark moves and
 * low-water-mark moves run on its owner event loop ({@link EventLoops#ownerOf}); a request whose
 * partitions live on other loops hops there and the answer is sent once every partition is done.
 * Reads (fetch, ListOffsets) run on the caller's thread against volatile offsets. Partition
 * creation and deletion run on the control thread through {@link #onMetadataChange}.
 *
 * <p>Parked requests live in two purgatories: long-poll fetches and acks=all produces. Every
 * append (and high-water-mark move) checks the ones watching that partition.
 */
public final class ReplicaManager implements MetadataListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    /** DeleteRecords' "up to the high-water mark". */
    public static final long HIGH_WATERMARK_OFFSET = -1L;

    /** DeleteRecords outcome of one partition. */
    public record DeleteRecordsResult(Errors error, long lowWatermark) {
    }

    private final BrokerConfig config;
    private final LogManager logManager;
    private final EventLoops loops;
    private final int localNodeId;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    /** Gauges of each hosted partition; registered with it, removed when it is deleted. */
    private final Map<TopicPartition, PartitionMeters> partitionMeters = new ConcurrentHashMap<>();
    private final BrokerMetrics metrics;
    private final DelayedOperations fetchPurgatory;
    private final DelayedOperations producePurgatory;
    private final FetchReads reads;
    private volatile boolean shuttingDown;

    public ReplicaManager(BrokerConfig config, LogManager logManager, EventLoops loops) {
        this(config, logManager, loops, null);
    }

    /** @param metrics where partition gauges and topic traffic go; null: nowhere */
    public ReplicaManager(BrokerConfig config, LogManager logManager, EventLoops loops, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.logManager = logManager;
        this.loops = loops;
        this.localNodeId = config.nodeId();
        this.fetchPurgatory = new DelayedOperations("fetch", loops.group());
        this.producePurgatory = new DelayedOperations("produce", loops.group());
        this.reads = new FetchReads(partitions::get);
    }

    /** One read pass without waiting (see {@link FetchReads#read}); the caller releases the slices. */
    public List<FetchPartitionResult> read(List<FetchPartitionRequest> requests, int maxBytes) {
        return reads.read(requests, maxBytes);
    }

    // ------------------------------------------------------------------ lifecycle (control thread)

    /**
     * Opens a partition for every partition in {@code image} and deletes logs of topics that no
     * longer exist (deleted while the broker was down, or half-created before a crash).
     */
    public void startup(MetadataImage image) throws IOException {
        for (TopicImage topic : image.topics().values()) {
            for (int p = 0; p < topic.partitionCount(); p++) {
                createPartition(topic, p);
            }
        }
        for (String name : logManager.logs().keySet()) {
            int dash = name.lastIndexOf('-');
            String topic = name.substring(0, dash);
            int partition = Integer.parseInt(name.substring(dash + 1));
            if (!image.hasPartition(topic, partition)) {
                LOG.info("Deleting log of {} which is not in the topic registry", name);
                logManager.deleteLog(topic, partition);
            }
        }
    }

    @Override
    public void onMetadataChange(MetadataImage previous, MetadataImage next) throws IOException {
        for (TopicImage topic : next.topics().values()) {
            TopicImage before = previous.topic(topic.name());
            int from = before == null || !before.topicId().equals(topic.topicId()) ? 0 : before.partitionCount();
            for (int p = from; p < topic.partitionCount(); p++) {
                createPartition(topic, p);
            }
            if (before != null && !before.configs().equals(topic.configs())) {
                applyConfig(topic);
            }
        }
        for (TopicImage topic : previous.topics().values()) {
            TopicImage after = next.topic(topic.name());
            if (after == null || !after.topicId().equals(topic.topicId())) {
                for (int p = 0; p < topic.partitionCount(); p++) {
                    deletePartition(new TopicPartition(topic.name(), p));
                }
            }
        }
    }

    private void createPartition(TopicImage topic, int index) throws IOException {
        TopicPartition tp = new TopicPartition(topic.name(), index);
        if (partitions.containsKey(tp)) {
            return;
        }
        PartitionLog log = logManager.getOrCreateLog(topic.name(), index);
        TopicConfig topicConfig = TopicConfig.of(config, topic.configs());
        TopicMeters meters = metrics == null ? TopicMeters.NONE : metrics.acquireTopic(topic.name());
        Partition partition;
        try {
            partition = Partition.openAsLeader(tp, log, loops.ownerOf(topic.name(), index), localNodeId,
                    topicConfig.minInsyncReplicas(), meters);
        } catch (IOException | RuntimeException e) {
            if (metrics != null) {
                metrics.releaseTopic(meters);
            }
            throw e;
        }
        partition.setLogAppendTime(usesLogAppendTime(topicConfig));
        if (metrics != null) {
            partitionMeters.put(tp, metrics.registerPartition(meters, index, partition));
        }
        partitions.put(tp, partition);
    }

    private void applyConfig(TopicImage topic) {
        TopicConfig topicConfig = TopicConfig.of(config, topic.configs());
        for (int p = 0; p < topic.partitionCount(); p++) {
            Partition partition = partitions.get(new TopicPartition(topic.name(), p));
            if (partition != null) {
                partition.setMinInsyncReplicas(topicConfig.minInsyncReplicas());
                partition.setLogAppendTime(usesLogAppendTime(topicConfig));
                partition.log().updateConfig(topicConfig.toLogConfig());
            }
        }
    }

    private static boolean usesLogAppendTime(TopicConfig topicConfig) {
        return "LogAppendTime".equals(topicConfig.messageTimestampType());
    }

    private void deletePartition(TopicPartition tp) throws IOException {
        Partition partition = partitions.remove(tp);
        if (partition == null) {
            return;
        }
        PartitionMeters meters = partitionMeters.remove(tp);
        if (meters != null) {
            meters.close();
        }
        try {
            partition.owner().submit(partition::markDeleted).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deleting " + tp, e);
        } catch (ExecutionException e) {
            throw new IOException("could not stop " + tp + " before deleting it", e.getCause());
        }
        fetchPurgatory.checkAndComplete(tp);
        producePurgatory.checkAndComplete(tp);
        logManager.deleteLog(tp.topic(), tp.partition());
    }

    /**
     * Shutdown: answers every parked fetch and produce now, and from here on fetches answer
     * without waiting, so in-flight requests drain quickly.
     */
    public void completeAllParked() {
        shuttingDown = true;
        fetchPurgatory.completeAll();
        producePurgatory.completeAll();
    }

    /**
     * Clean shutdown, after the event loops stopped (no appends can race): snapshots each
     * partition's producer state so the next start skips the log scan. Failures are logged; the
     * next start then rebuilds from the log.
     */
    public void writeProducerSnapshots() {
        for (Partition partition : partitions.values()) {
            try {
                partition.writeProducerSnapshot();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not snapshot producer state of {}: {}", partition.topicPartition(), e.toString());
            }
        }
    }

    // ------------------------------------------------------------------ lookups (any thread)

    public Partition partition(TopicPartition tp) {
        return partitions.get(tp);
    }

    public Partition partition(String topic, int partition) {
        return partitions.get(new TopicPartition(topic, partition));
    }

    public int partitionCount() {
        return partitions.size();
    }

    public int parkedFetches() {
        return fetchPurgatory.parkedCount();
    }

    public int parkedProduces() {
        return producePurgatory.parkedCount();
    }

    /** Hosted partitions with fewer in-sync replicas than replicas (a scan: for gauges, not hot paths). */
    public int underReplicatedPartitions() {
        int count = 0;
        for (Partition partition : partitions.values()) {
            if (partition.isUnderReplicated()) {
                count++;
            }
        }
        return count;
    }

    // ------------------------------------------------------------------ produce

    /**
     * Appends each partition's records on its owner thread, then calls {@code onDone} (on some
     * owner thread or a timer) with one result per input, in input order. With acks=all the
     * answer waits until the high-water mark passes every appended batch or {@code timeoutMs}.
     */
    public void appendRecords(List<PartitionRecords> requests, short requiredAcks, long timeoutMs,
                              Consumer<List<AppendResult>> onDone) {
        List<AppendResult> results = new ArrayList<>(requests.size());
        for (PartitionRecords request : requests) {
            results.add(new AppendResult(request.topicPartition()));
        }
        Runnable finish = () -> {
            if (requiredAcks == -1) {
                awaitReplication(results, timeoutMs, onDone);
            } else {
                onDone.accept(results);
            }
        };
        if (requests.isEmpty()) {
            finish.run();
            return;
        }
        AtomicInteger remaining = new AtomicInteger(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            PartitionRecords request = requests.get(i);
            AppendResult result = results.get(i);
            Partition partition = partitions.get(request.topicPartition());
            if (partition == null) {
                result.fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
                if (remaining.decrementAndGet() == 0) {
                    finish.run();
                }
                continue;
            }
            runOn(partition.owner(), () -> {
                appendOnOwner(partition, request, requiredAcks, result);
                if (remaining.decrementAndGet() == 0) {
                    finish.run();
                }
            });
        }
    }

    private void appendOnOwner(Partition partition, PartitionRecords request, short requiredAcks, AppendResult result) {
        long highWatermarkBefore = partition.highWatermark();
        try {
            partition.appendAsLeader(request.records(), requiredAcks, result);
        } catch (RuntimeException e) {
            LOG.error("Append to {} failed unexpectedly", partition.topicPartition(), e);
            result.fail(partition.isDeleted() ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.UNKNOWN_SERVER_ERROR,
                    e.toString());
        }
        if (partition.highWatermark() != highWatermarkBefore) {
            fetchPurgatory.checkAndComplete(partition.topicPartition());
            producePurgatory.checkAndComplete(partition.topicPartition());
        }
    }

    private void awaitReplication(List<AppendResult> results, long timeoutMs, Consumer<List<AppendResult>> onDone) {
        List<TopicPartition> keys = new ArrayList<>(results.size());
        for (AppendResult result : results) {
            keys.add(result.topicPartition());
        }
        producePurgatory.tryCompleteElseWatch(new DelayedProduce(results, partitions, onDone), keys, timeoutMs);
    }

    private static void runOn(EventExecutor owner, Runnable task) {
        if (owner.inEventLoop()) {
            task.run();
        } else {
            owner.execute(task);
        }
    }

    // ------------------------------------------------------------------ fetch

    /**
     * Reads every requested partition up to its high-water mark and hands the results to
     * {@code onDone}, at once when there is an error, {@code minBytes} are ready or
     * {@code maxWaitMs <= 0}; otherwise after an append makes enough data ready or maxWait passes.
     * The receiver must release every result's slice.
     */
    public void fetch(List<FetchPartitionRequest> requests, int maxWaitMs, int minBytes, int maxBytes,
                      Consumer<List<FetchPartitionResult>> onDone) {
        List<FetchPartitionResult> results = reads.read(requests, maxBytes);
        if (maxWaitMs <= 0 || shuttingDown || requests.isEmpty() || FetchReads.hasError(results)
                || FetchReads.totalBytes(results) >= minBytes) {
            countFetched(results);
            onDone.accept(results);
            return;
        }
        results.forEach(FetchPartitionResult::release);
        List<TopicPartition> keys = new ArrayList<>(requests.size());
        for (FetchPartitionRequest request : requests) {
            keys.add(request.topicPartition());
        }
        DelayedFetch parked = new DelayedFetch(reads, requests, minBytes,
                () -> {
                    List<FetchPartitionResult> ready = reads.read(requests, maxBytes);
                    countFetched(ready);
                    onDone.accept(ready);
                });
        fetchPurgatory.tryCompleteElseWatch(parked, keys, maxWaitMs);
    }

    /** Adds what a fetch hands back to its topics' bytes-out and records-out counters. */
    private void countFetched(List<FetchPartitionResult> results) {
        if (metrics == null) {
            return;
        }
        for (int i = 0; i < results.size(); i++) {
            FetchPartitionResult result = results.get(i);
            if (result.bytes() > 0) {
                Partition partition = partitions.get(result.request().topicPartition());
                if (partition != null) {
                    partition.meters().recordOut(result.bytes(),
                            SliceOffsets.delivered(partition, result.request().fetchOffset(), result.slice()));
                }
            }
        }
    }

    // ------------------------------------------------------------------ DeleteRecords

    /**
     * Moves each partition's low-water mark to the given offset ({@link #HIGH_WATERMARK_OFFSET} =
     * its high-water mark) on its owner thread; never past the high-water mark.
     */
    public void deleteRecords(Map<TopicPartition, Long> offsets, Consumer<Map<TopicPartition, DeleteRecordsResult>> onDone) {
        Map<TopicPartition, DeleteRecordsResult> results = new ConcurrentHashMap<>();
        if (offsets.isEmpty()) {
            onDone.accept(results);
            return;
        }
        AtomicInteger remaining = new AtomicInteger(offsets.size());
        for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
            TopicPartition tp = entry.getKey();
            Partition partition = partitions.get(tp);
            if (partition == null) {
                results.put(tp, new DeleteRecordsResult(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1));
                if (remaining.decrementAndGet() == 0) {
                    onDone.accept(results);
                }
                continue;
            }
            runOn(partition.owner(), () -> {
                results.put(tp, deleteRecordsOnOwner(partition, entry.getValue()));
                if (remaining.decrementAndGet() == 0) {
                    onDone.accept(results);
                }
            });
        }
    }

    private DeleteRecordsResult deleteRecordsOnOwner(Partition partition, long requested) {
        long offset = requested == HIGH_WATERMARK_OFFSET ? partition.highWatermark() : requested;
        try {
            Errors error = partition.deleteRecordsBefore(offset);
            if (error == Errors.NONE) {
                fetchPurgatory.checkAndComplete(partition.topicPartition());
            }
            return new DeleteRecordsResult(error, error == Errors.NONE ? partition.logStartOffset() : -1);
        } catch (IOException | RuntimeException e) {
            LOG.error("DeleteRecords on {} up to {} failed", partition.topicPartition(), offset, e);
            return new DeleteRecordsResult(Errors.KAFKA_STORAGE_ERROR, -1);
        }
    }
}

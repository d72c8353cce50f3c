package io.tidelog.broker.replica;

import io.tidelog.broker.log.LogReadResult;
import io.tidelog.broker.log.LogSlice;
import io.tidelog.protocol.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetch reads for consumers: whole batches below each partition's high-water mark, taken from
 * the partition log without locking (any thread), plus the "is a parked fetch ready" test.
 * Every non-empty slice returned holds a segment reference the caller must release.
 */
final class FetchReads {

    private static final Logger LOG = LoggerFactory.getLogger(FetchReads.class);

    private final Function<TopicPartition, Partition> partitions;

    FetchReads(Function<TopicPartition, Partition> partitions) {
        this.partitions = partitions;
    }

    /**
     * One read pass: whole batches from each partition's fetch offset, below its high-water mark.
     * The first partition with data gets at least one batch even over the limits; later ones only
     * what fits in the response's remaining {@code maxBytes}.
     */
    List<FetchPartitionResult> read(List<FetchPartitionRequest> requests, int maxBytes) {
        List<FetchPartitionResult> results = new ArrayList<>(requests.size());
        int remaining = Math.max(0, maxBytes);
        boolean anyData = false;
        for (FetchPartitionRequest request : requests) {
            FetchPartitionResult result = readPartition(request, remaining, !anyData);
            results.add(result);
            if (result.bytes() > 0) {
                anyData = true;
                remaining = Math.max(0, remaining - result.bytes());
            }
        }
        return results;
    }

    private FetchPartitionResult readPartition(FetchPartitionRequest request, int remaining, boolean mayExceedLimit) {
        Partition partition = partitions.apply(request.topicPartition());
        if (partition == null) {
            return FetchPartitionResult.error(request, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        Errors epochError = partition.checkLeaderEpoch(request.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return FetchPartitionResult.error(request, epochError);
        }
        long highWatermark = partition.highWatermark();
        int limit = Math.min(request.partitionMaxBytes(), remaining);
        try {
            LogReadResult read = partition.log().read(request.fetchOffset(), Math.max(1, limit), highWatermark);
            if (read.offsetOutOfRange()) {
                return new FetchPartitionResult(request, Errors.OFFSET_OUT_OF_RANGE, LogSlice.empty(), highWatermark,
                        highWatermark, read.logStartOffset());
            }
            LogSlice slice = read.slice();
            if (!slice.isEmpty() && (limit <= 0 || slice.sizeInBytes() > limit) && !mayExceedLimit) {
                slice.release();
                slice = LogSlice.empty();
            }
            return new FetchPartitionResult(request, Errors.NONE, slice, highWatermark, partition.lastStableOffset(),
                    read.logStartOffset());
        } catch (IOException | RuntimeException e) {
            if (partition.isDeleted()) {
                return FetchPartitionResult.error(request, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
            LOG.error("Read of {} at offset {} failed", request.topicPartition(), request.fetchOffset(), e);
            return FetchPartitionResult.error(request, Errors.KAFKA_STORAGE_ERROR);
        }
    }

    /** True when a parked fetch can answer: an error to report, or at least minBytes readable. */
    boolean ready(List<FetchPartitionRequest> requests, int minBytes) {
        long bytes = 0;
        for (FetchPartitionRequest request : requests) {
            Partition partition = partitions.apply(request.topicPartition());
            if (partition == null || partition.isDeleted()
                    || partition.checkLeaderEpoch(request.currentLeaderEpoch()) != Errors.NONE) {
                return true;
            }
            long fetchOffset = request.fetchOffset();
            if (fetchOffset < partition.logStartOffset() || fetchOffset > partition.logEndOffset()) {
                return true;
            }
            long highWatermark = partition.highWatermark();
            if (highWatermark <= fetchOffset) {
                continue;
            }
            if (minBytes <= 1) {
                return true;
            }
            FetchPartitionResult probe = readPartition(request, request.partitionMaxBytes(), true);
            bytes += probe.bytes();
            probe.release();
            if (probe.error() != Errors.NONE || bytes >= minBytes) {
                return true;
            }
        }
        return false;
    }

    static boolean hasError(List<FetchPartitionResult> results) {
        for (FetchPartitionResult result : results) {
            if (result.error() != Errors.NONE) {
                return true;
            }
        }
        return false;
    }

    static long totalBytes(List<FetchPartitionResult> results) {
        long total = 0;
        for (FetchPartitionResult result : results) {
            total += result.bytes();
        }
        return total;
    }
}

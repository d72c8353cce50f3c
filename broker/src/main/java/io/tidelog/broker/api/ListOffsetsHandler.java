package io.tidelog.broker.api;

import io.tidelog.broker.log.LeaderEpochCache;
import io.tidelog.broker.log.PartitionLog;
import io.tidelog.broker.log.TimestampOffset;
import io.tidelog.broker.replica.Partition;
import io.tidelog.broker.replica.ReplicaManager;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ListOffsetsRequest;
import io.tidelog.protocol.message.ListOffsetsResponse;
import io.tidelog.protocol.message.ListOffsetsResponse.ListOffsetsTopicResponse;
import io.tidelog.protocol.message.ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse;
import io.tidelog.protocol.record.Record;
import io.tidelog.protocol.types.ProtocolReader;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ListOffsets v1–7: earliest (-2) = log start offset, latest (-1) = high-water mark (= last stable
 * offset, no transactions), max timestamp (-3, v7) = the record with the largest timestamp below
 * the high-water mark, and a timestamp = the first record at or after it (offsets at or above the
 * high-water mark are not visible: answered as not found, -1).
 */
final class ListOffsetsHandler implements ApiHandler {

    private static final short LEADER_EPOCH_MIN_VERSION = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ListOffsetsHandler.class);
    static final long LATEST = -1L;
    static final long EARLIEST = -2L;
    static final long MAX_TIMESTAMP = -3L;

    private final ReplicaManager replicaManager;

    ListOffsetsHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        ListOffsetsRequest request = ListOffsetsRequest.read(body, context.apiVersion());
        ListOffsetsResponse response = new ListOffsetsResponse();
        for (ListOffsetsRequest.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            for (ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition partition : topic.partitions()) {
                topicResponse.partitions().add(lookup(replicaManager.partition(topic.name(), partition.partitionIndex()),
                        partition, context.apiVersion()));
            }
            response.topics().add(topicResponse);
        }
        context.respond(response);
    }

    private ListOffsetsPartitionResponse lookup(Partition partition,
                                                ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition wanted,
                                                short version) {
        ListOffsetsPartitionResponse result = new ListOffsetsPartitionResponse()
                .setPartitionIndex(wanted.partitionIndex());
        if (partition == null) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        Errors epochError = partition.checkLeaderEpoch(wanted.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return result.setErrorCode(epochError.code());
        }
        long highWatermark = partition.highWatermark();
        long timestamp = wanted.timestamp();
        try {
            if (timestamp == LATEST) {
                return found(result, version, partition, -1, partition.lastStableOffset());
            }
            if (timestamp == EARLIEST) {
                return found(result, version, partition, -1, partition.logStartOffset());
            }
            if (timestamp == MAX_TIMESTAMP && version >= 7) {
                return maxTimestamp(result, version, partition, highWatermark);
            }
            if (timestamp < 0) {
                return result.setErrorCode(Errors.INVALID_REQUEST.code());
            }
            Optional<TimestampOffset> match = partition.log().offsetForTimestamp(timestamp);
            if (match.isEmpty() || match.get().offset() >= highWatermark) {
                return result.setErrorCode(Errors.NONE.code());
            }
            return found(result, version, partition, match.get().timestamp(), match.get().offset());
        } catch (IOException | RuntimeException e) {
            LOG.error("ListOffsets on {} for timestamp {} failed", partition.topicPartition(), timestamp, e);
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
    }

    private static ListOffsetsPartitionResponse maxTimestamp(ListOffsetsPartitionResponse result, short version,
                                                            Partition partition, long highWatermark) throws IOException {
        long[] best = {Long.MIN_VALUE, -1};
        PartitionLog log = partition.log();
        log.forEachBatch(log.logStartOffset(), batch -> {
            if (batch.baseOffset() >= highWatermark || batch.maxTimestamp() <= best[0]) {
                return;
            }
            best[0] = batch.maxTimestamp();
            best[1] = batch.lastOffset();
            if (!batch.isCompressed()) {
                for (Record record : batch.records()) {
                    if (record.timestamp() == best[0]) {
                        best[1] = record.offset();
                        break;
                    }
                }
            }
        });
        if (best[1] < 0) {
            return result.setErrorCode(Errors.NONE.code());
        }
        return found(result, version, partition, best[0], best[1]);
    }

    private static ListOffsetsPartitionResponse found(ListOffsetsPartitionResponse result, short version,
                                                     Partition partition, long timestamp, long offset) {
        result.setErrorCode(Errors.NONE.code()).setTimestamp(timestamp).setOffset(offset);
        // The field exists from v4; below that Kafka's encoding refuses a non-default value, and
        // librdkafka (kcat) asks for v2.
        return version >= LEADER_EPOCH_MIN_VERSION ? result.setLeaderEpoch(epochOf(partition, offset)) : result;
    }

    /** The leader epoch that wrote {@code offset}; the current epoch for the log end offset. */
    static int epochOf(Partition partition, long offset) {
        if (offset >= partition.logEndOffset()) {
            return partition.leaderEpoch();
        }
        List<LeaderEpochCache.EpochEntry> entries = partition.log().leaderEpochCache().entries();
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).startOffset() <= offset) {
                return entries.get(i).epoch();
            }
        }
        return partition.leaderEpoch();
    }
}

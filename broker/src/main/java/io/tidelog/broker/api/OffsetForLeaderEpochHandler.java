package io.tidelog.broker.api;

import io.tidelog.broker.log.EpochEndOffset;
import io.tidelog.broker.replica.Partition;
import io.tidelog.broker.replica.ReplicaManager;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.OffsetForLeaderEpochRequest;
import io.tidelog.protocol.message.OffsetForLeaderEpochResponse;
import io.tidelog.protocol.message.OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult;
import io.tidelog.protocol.types.ProtocolReader;

/**
 * OffsetForLeaderEpoch v2–4: for a requested epoch, the largest epoch this leader knows that is
 * not above it and the offset where that epoch ends (the LEO for the current epoch). Consumers
 * use it to detect truncation after a leader change; followers to find where to truncate.
 */
final class OffsetForLeaderEpochHandler implements ApiHandler {

    private final ReplicaManager replicaManager;

    OffsetForLeaderEpochHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        OffsetForLeaderEpochRequest request = OffsetForLeaderEpochRequest.read(body, context.apiVersion());
        OffsetForLeaderEpochResponse response = new OffsetForLeaderEpochResponse();
        for (OffsetForLeaderEpochRequest.OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            for (OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition wanted : topic.partitions()) {
                result.partitions().add(lookup(replicaManager.partition(topic.topic(), wanted.partition()), wanted));
            }
            response.topics().add(result);
        }
        context.respond(response);
    }

    private static OffsetForLeaderTopicResult.EpochEndOffset lookup(Partition partition,
            OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition wanted) {
        OffsetForLeaderTopicResult.EpochEndOffset result = new OffsetForLeaderTopicResult.EpochEndOffset()
                .setPartition(wanted.partition());
        if (partition == null) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        Errors epochError = partition.checkLeaderEpoch(wanted.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return result.setErrorCode(epochError.code());
        }
        long logEndOffset = partition.logEndOffset();
        EpochEndOffset end = partition.log().leaderEpochCache().endOffsetFor(wanted.leaderEpoch(), logEndOffset);
        if (!end.isDefined() && wanted.leaderEpoch() == partition.leaderEpoch()) {
            end = new EpochEndOffset(partition.leaderEpoch(), logEndOffset);
        }
        return result.setErrorCode(Errors.NONE.code()).setLeaderEpoch(end.leaderEpoch()).setEndOffset(end.endOffset());
    }
}

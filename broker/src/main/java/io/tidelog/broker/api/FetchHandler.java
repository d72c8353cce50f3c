package io.tidelog.broker.api;

import io.tidelog.broker.replica.FetchPartitionRequest;
import io.tidelog.broker.replica.FetchPartitionResult;
import io.tidelog.broker.replica.ReplicaManager;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.FetchRequest;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.message.FetchResponse.FetchableTopicResponse;
import io.tidelog.protocol.message.FetchResponse.FetchableTopicResponse.PartitionData;
import io.tidelog.protocol.record.FileRegionRecords;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetch v4–12 for consumers: every requested partition is answered, with whole batches below the
 * high-water mark sent from the segment file by sendfile. Waits (long poll) for minBytes up to
 * maxWait. Fetch sessions are not kept: the session id is always 0, so clients send full
 * requests; an incremental request for a session is FETCH_SESSION_ID_NOT_FOUND. With no
 * transactions, read_committed sees the same data (last stable offset = high-water mark).
 */
final class FetchHandler implements ApiHandler {

    private static final byte READ_COMMITTED = 1;

    private final ReplicaManager replicaManager;

    FetchHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        FetchRequest request = FetchRequest.read(body, context.apiVersion());
        if (request.sessionId() != 0 || request.sessionEpoch() > 0) {
            context.countError(Errors.FETCH_SESSION_ID_NOT_FOUND);
            context.respond(new FetchResponse().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()).setSessionId(0));
            return;
        }
        List<FetchPartitionRequest> partitions = new ArrayList<>();
        for (FetchRequest.FetchTopic topic : request.topics()) {
            for (FetchRequest.FetchTopic.FetchPartition partition : topic.partitions()) {
                partitions.add(new FetchPartitionRequest(new TopicPartition(topic.topic(), partition.partition()),
                        partition.fetchOffset(), partition.partitionMaxBytes(), partition.currentLeaderEpoch()));
            }
        }
        boolean readCommitted = request.isolationLevel() == READ_COMMITTED;
        replicaManager.fetch(partitions, request.maxWaitMs(), request.minBytes(), request.maxBytes(),
                results -> answer(context, results, readCommitted));
    }

    private static void answer(RequestContext context, List<FetchPartitionResult> results, boolean readCommitted) {
        List<FetchableTopicResponse> topics = new ArrayList<>();
        FetchableTopicResponse topic = null;
        for (FetchPartitionResult result : results) {
            TopicPartition tp = result.request().topicPartition();
            context.countError(result.error());
            PartitionData data = new PartitionData()
                    .setPartitionIndex(tp.partition())
                    .setErrorCode(result.error().code())
                    .setHighWatermark(result.highWatermark())
                    .setLastStableOffset(result.lastStableOffset())
                    .setLogStartOffset(result.logStartOffset())
                    .setAbortedTransactions(readCommitted ? new ArrayList<>() : null)
                    .setRecords(result.slice().isEmpty() ? MemoryRecords.EMPTY
                            : new FileRegionRecords(result.slice().channel(), result.slice().position(),
                                    result.slice().sizeInBytes()));
            if (topic == null || !topic.topic().equals(tp.topic())) {
                topic = new FetchableTopicResponse().setTopic(tp.topic());
                topics.add(topic);
            }
            topic.partitions().add(data);
        }
        context.respond(new FetchResponse().setSessionId(0).setResponses(topics),
                () -> results.forEach(FetchPartitionResult::release));
    }
}

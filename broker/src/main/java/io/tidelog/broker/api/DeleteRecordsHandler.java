package io.tidelog.broker.api;

import io.tidelog.broker.replica.ReplicaManager;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.message.DeleteRecordsRequest;
import io.tidelog.protocol.message.DeleteRecordsResponse;
import io.tidelog.protocol.message.DeleteRecordsResponse.DeleteRecordsTopicResult;
import io.tidelog.protocol.message.DeleteRecordsResponse.DeleteRecordsTopicResult.DeleteRecordsPartitionResult;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DeleteRecords v0–2: moves each partition's low-water mark (log start offset) up to the given
 * offset (-1 = the high-water mark), never past the high-water mark (OFFSET_OUT_OF_RANGE).
 * Answers with the new low-water mark.
 */
final class DeleteRecordsHandler implements ApiHandler {

    private final ReplicaManager replicaManager;

    DeleteRecordsHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        DeleteRecordsRequest request = DeleteRecordsRequest.read(body, context.apiVersion());
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (DeleteRecordsRequest.DeleteRecordsTopic topic : request.topics()) {
            for (DeleteRecordsRequest.DeleteRecordsTopic.DeleteRecordsPartition partition : topic.partitions()) {
                offsets.put(new TopicPartition(topic.name(), partition.partitionIndex()), partition.offset());
            }
        }
        replicaManager.deleteRecords(offsets, results -> {
            Map<String, DeleteRecordsTopicResult> topics = new LinkedHashMap<>();
            for (TopicPartition tp : offsets.keySet()) {
                ReplicaManager.DeleteRecordsResult result = results.get(tp);
                topics.computeIfAbsent(tp.topic(), name -> new DeleteRecordsTopicResult().setName(name))
                        .partitions().add(new DeleteRecordsPartitionResult()
                                .setPartitionIndex(tp.partition())
                                .setLowWatermark(result.lowWatermark())
                                .setErrorCode(result.error().code()));
            }
            context.respond(new DeleteRecordsResponse().setTopics(new java.util.ArrayList<>(topics.values())));
        });
    }
}

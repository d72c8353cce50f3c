package io.tidelog.broker.api;

import io.tidelog.broker.replica.AppendResult;
import io.tidelog.broker.replica.PartitionRecords;
import io.tidelog.broker.replica.ReplicaManager;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ProduceRequest;
import io.tidelog.protocol.message.ProduceResponse;
import io.tidelog.protocol.message.ProduceResponse.TopicProduceResponse;
import io.tidelog.protocol.message.ProduceResponse.TopicProduceResponse.PartitionProduceResponse;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.Records;
import io.tidelog.protocol.types.ProtocolReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Produce v3–11. acks 0, 1 or -1 (all); anything else is INVALID_REQUIRED_ACKS for every
 * partition. Errors are per partition; with acks=0 nothing is answered, and a failed acks=0
 * produce closes the connection so the client notices (as Kafka does). Records are appended
 * straight from the request frame, never copied on the heap.
 */
final class ProduceHandler implements ApiHandler {

    private final ReplicaManager replicaManager;

    ProduceHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        ProduceRequest request = ProduceRequest.read(body, context.apiVersion());
        short acks = request.acks();
        List<PartitionRecords> appends = new ArrayList<>();
        Map<TopicPartition, Errors> rejected = new LinkedHashMap<>();
        List<TopicPartition> order = new ArrayList<>();
        for (ProduceRequest.TopicProduceData topic : request.topicData()) {
            for (ProduceRequest.TopicProduceData.PartitionProduceData partition : topic.partitionData()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.index());
                order.add(tp);
                Records records = partition.records();
                if (acks != 0 && acks != 1 && acks != -1) {
                    rejected.put(tp, Errors.INVALID_REQUIRED_ACKS);
                } else if (request.transactionalId() != null) {
                    rejected.put(tp, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
                } else if (!(records instanceof MemoryRecords memory)) {
                    rejected.put(tp, Errors.INVALID_RECORD);
                } else {
                    ByteBuffer buffer = memory.buffer();
                    appends.add(new PartitionRecords(tp, buffer));
                }
            }
        }
        replicaManager.appendRecords(appends, acks, request.timeoutMs(),
                results -> answer(context, acks, order, rejected, results));
    }

    private static void answer(RequestContext context, short acks, List<TopicPartition> order,
                               Map<TopicPartition, Errors> rejected, List<AppendResult> results) {
        Map<TopicPartition, AppendResult> byPartition = new LinkedHashMap<>();
        for (AppendResult result : results) {
            byPartition.put(result.topicPartition(), result);
        }
        for (Errors error : rejected.values()) {
            context.countError(error);
        }
        for (AppendResult result : results) {
            context.countError(result.error());
        }
        if (acks == 0) {
            String failure = firstFailure(rejected, results);
            if (failure == null) {
                context.noResponse();
            } else {
                context.closeConnection("acks=0 produce failed (" + failure + ")");
            }
            return;
        }
        Map<String, TopicProduceResponse> topics = new LinkedHashMap<>();
        for (TopicPartition tp : order) {
            PartitionProduceResponse partition = new PartitionProduceResponse().setIndex(tp.partition());
            Errors error = rejected.get(tp);
            AppendResult result = byPartition.get(tp);
            if (error != null) {
                partition.setErrorCode(error.code()).setBaseOffset(-1);
            } else {
                partition.setErrorCode(result.error().code())
                        .setBaseOffset(result.baseOffset())
                        .setLogAppendTimeMs(result.logAppendTime())
                        .setLogStartOffset(result.logStartOffset());
                if (result.errorMessage() != null && result.error() != Errors.NONE) {
                    partition.setErrorMessage(result.errorMessage());
                }
            }
            topics.computeIfAbsent(tp.topic(), name -> new TopicProduceResponse().setName(name))
                    .partitionResponses().add(partition);
        }
        context.respond(new ProduceResponse().setResponses(new ArrayList<>(topics.values())));
    }

    private static String firstFailure(Map<TopicPartition, Errors> rejected, List<AppendResult> results) {
        for (Map.Entry<TopicPartition, Errors> entry : rejected.entrySet()) {
            return entry.getKey() + ": " + entry.getValue();
        }
        for (AppendResult result : results) {
            if (result.error() != Errors.NONE) {
                return result.topicPartition() + ": " + result.error();
            }
        }
        return null;
    }
}

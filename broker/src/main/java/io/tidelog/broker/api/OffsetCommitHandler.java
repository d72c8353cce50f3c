package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.group.OffsetAndMetadata;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.OffsetCommitRequest;
import io.tidelog.protocol.message.OffsetCommitResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OffsetCommit v2–9: the offsets are appended to {@code __consumer_offsets} before the answer;
 * every partition asked about is answered, in request order. The v2–4 retention time is ignored
 * (the broker's {@code offsets.retention.minutes} applies, as in Kafka 2.1+).
 */
final class OffsetCommitHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    OffsetCommitHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        OffsetCommitRequest request = OffsetCommitRequest.read(body, context.apiVersion());
        Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
        for (OffsetCommitRequest.OffsetCommitRequestTopic topic : request.topics()) {
            for (OffsetCommitRequest.OffsetCommitRequestTopic.OffsetCommitRequestPartition p : topic.partitions()) {
                commits.put(new TopicPartition(topic.name(), p.partitionIndex()), new OffsetAndMetadata(
                        p.committedOffset(), p.committedLeaderEpoch(), p.committedMetadata(), -1L));
            }
        }
        coordinator.commitOffsets(request.groupId(), request.memberId(), request.groupInstanceId(),
                request.generationIdOrMemberEpoch(), commits, errors -> context.respond(toResponse(request, errors)));
    }

    private static OffsetCommitResponse toResponse(OffsetCommitRequest request, Map<TopicPartition, Errors> errors) {
        List<OffsetCommitResponse.OffsetCommitResponseTopic> topics = new ArrayList<>(request.topics().size());
        for (OffsetCommitRequest.OffsetCommitRequestTopic topic : request.topics()) {
            List<OffsetCommitResponse.OffsetCommitResponseTopic.OffsetCommitResponsePartition> partitions =
                    new ArrayList<>(topic.partitions().size());
            for (OffsetCommitRequest.OffsetCommitRequestTopic.OffsetCommitRequestPartition p : topic.partitions()) {
                Errors error = errors.getOrDefault(new TopicPartition(topic.name(), p.partitionIndex()),
                        Errors.UNKNOWN_SERVER_ERROR);
                partitions.add(new OffsetCommitResponse.OffsetCommitResponseTopic.OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
            }
            topics.add(new OffsetCommitResponse.OffsetCommitResponseTopic().setName(topic.name())
                    .setPartitions(partitions));
        }
        return new OffsetCommitResponse().setTopics(topics);
    }
}

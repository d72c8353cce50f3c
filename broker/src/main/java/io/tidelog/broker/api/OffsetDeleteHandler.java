package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.group.OffsetDeleteResult;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.OffsetDeleteRequest;
import io.tidelog.protocol.message.OffsetDeleteResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;

/**
 * OffsetDelete v0 (Admin.deleteConsumerGroupOffsets): removes single committed offsets of a
 * group. A group-level error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...) answers with no topics;
 * otherwise every partition asked about is answered, GROUP_SUBSCRIBED_TO_TOPIC for topics the
 * group's members consume.
 */
final class OffsetDeleteHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    OffsetDeleteHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        OffsetDeleteRequest request = OffsetDeleteRequest.read(body, context.apiVersion());
        List<TopicPartition> partitions = new ArrayList<>();
        for (OffsetDeleteRequest.OffsetDeleteRequestTopic topic : request.topics()) {
            for (OffsetDeleteRequest.OffsetDeleteRequestTopic.OffsetDeleteRequestPartition p : topic.partitions()) {
                partitions.add(new TopicPartition(topic.name(), p.partitionIndex()));
            }
        }
        coordinator.deleteOffsets(request.groupId(), partitions,
                result -> context.respond(toResponse(request, result)));
    }

    private static OffsetDeleteResponse toResponse(OffsetDeleteRequest request, OffsetDeleteResult result) {
        OffsetDeleteResponse response = new OffsetDeleteResponse().setErrorCode(result.error().code());
        if (result.error() != Errors.NONE) {
            return response;
        }
        for (OffsetDeleteRequest.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponse.OffsetDeleteResponseTopic answered =
                    new OffsetDeleteResponse.OffsetDeleteResponseTopic().setName(topic.name());
            for (OffsetDeleteRequest.OffsetDeleteRequestTopic.OffsetDeleteRequestPartition p : topic.partitions()) {
                Errors error = result.partitions().getOrDefault(new TopicPartition(topic.name(), p.partitionIndex()),
                        Errors.UNKNOWN_SERVER_ERROR);
                answered.partitions().add(new OffsetDeleteResponse.OffsetDeleteResponseTopic.OffsetDeleteResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(answered);
        }
        return response;
    }
}

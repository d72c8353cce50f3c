package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.DeleteGroupsRequest;
import io.tidelog.protocol.message.DeleteGroupsResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.Map;

/**
 * DeleteGroups v0–2: removes Empty groups and their committed offsets. Per group: deleted (once
 * the tombstones are in {@code __consumer_offsets}), GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP,
 * INVALID_GROUP_ID for an empty id, NOT_COORDINATOR while the broker shuts down. A group named
 * twice is answered once, as Kafka does.
 */
final class DeleteGroupsHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        DeleteGroupsRequest request = DeleteGroupsRequest.read(body, context.apiVersion());
        coordinator.deleteGroups(request.groupsNames(), errors -> context.respond(toResponse(errors)));
    }

    private static DeleteGroupsResponse toResponse(Map<String, Errors> errors) {
        DeleteGroupsResponse response = new DeleteGroupsResponse();
        errors.forEach((groupId, error) -> response.results().add(
                new DeleteGroupsResponse.DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code())));
        return response;
    }
}

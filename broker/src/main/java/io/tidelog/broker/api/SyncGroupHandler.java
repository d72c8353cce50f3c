package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.group.SyncGroupResult;
import io.tidelog.protocol.message.SyncGroupRequest;
import io.tidelog.protocol.message.SyncGroupResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.HashMap;
import java.util.Map;

/** SyncGroup v0–5: the leader hands in the assignment; every member waits for its share. */
final class SyncGroupHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        short version = context.apiVersion();
        SyncGroupRequest request = SyncGroupRequest.read(body, version);
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequest.SyncGroupRequestAssignment assignment : request.assignments()) {
            assignments.put(assignment.memberId(), assignment.assignment());
        }
        coordinator.syncGroup(request.groupId(), request.generationId(), request.memberId(),
                request.groupInstanceId(), request.protocolType(), request.protocolName(), assignments,
                result -> context.respond(toResponse(result, version)));
    }

    private static SyncGroupResponse toResponse(SyncGroupResult result, short version) {
        SyncGroupResponse response = new SyncGroupResponse().setErrorCode(result.error().code())
                .setAssignment(result.assignment());
        if (version >= 5) {
            response.setProtocolType(result.protocolType()).setProtocolName(result.protocolName());
        }
        return response;
    }
}

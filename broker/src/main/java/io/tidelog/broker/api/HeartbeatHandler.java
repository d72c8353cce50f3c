package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.protocol.message.HeartbeatRequest;
import io.tidelog.protocol.message.HeartbeatResponse;
import io.tidelog.protocol.types.ProtocolReader;

/** Heartbeat v0–4: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
final class HeartbeatHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    HeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        HeartbeatRequest request = HeartbeatRequest.read(body, context.apiVersion());
        coordinator.heartbeat(request.groupId(), request.memberId(), request.groupInstanceId(),
                request.generationId(), error -> context.respond(new HeartbeatResponse().setErrorCode(error.code())));
    }
}

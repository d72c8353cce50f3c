package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.group.LeaveGroupResult;
import io.tidelog.broker.group.MemberIdentity;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.LeaveGroupRequest;
import io.tidelog.protocol.message.LeaveGroupResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;

/**
 * LeaveGroup v0–5. v0–2 name one member and carry its error at the top level; v3+ name a batch
 * (static members by instance id) with an error each.
 */
final class LeaveGroupHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        short version = context.apiVersion();
        LeaveGroupRequest request = LeaveGroupRequest.read(body, version);
        List<MemberIdentity> leaving = new ArrayList<>();
        if (version >= 3) {
            for (LeaveGroupRequest.MemberIdentity member : request.members()) {
                leaving.add(new MemberIdentity(member.memberId(), member.groupInstanceId()));
            }
        } else {
            leaving.add(new MemberIdentity(request.memberId(), null));
        }
        coordinator.leaveGroup(request.groupId(), leaving, result -> context.respond(toResponse(result, version)));
    }

    private static LeaveGroupResponse toResponse(LeaveGroupResult result, short version) {
        LeaveGroupResponse response = new LeaveGroupResponse();
        if (version < 3) {
            Errors error = result.error();
            if (error == Errors.NONE && !result.members().isEmpty()) {
                error = result.members().get(0).error();
            }
            return response.setErrorCode(error.code());
        }
        List<LeaveGroupResponse.MemberResponse> members = new ArrayList<>(result.members().size());
        for (LeaveGroupResult.MemberResult member : result.members()) {
            members.add(new LeaveGroupResponse.MemberResponse().setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId()).setErrorCode(member.error().code()));
        }
        return response.setErrorCode(result.error().code()).setMembers(members);
    }
}

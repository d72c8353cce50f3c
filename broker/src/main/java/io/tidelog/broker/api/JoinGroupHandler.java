package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.group.GroupProtocol;
import io.tidelog.broker.group.JoinGroupParams;
import io.tidelog.broker.group.JoinGroupResult;
import io.tidelog.protocol.message.JoinGroupRequest;
import io.tidelog.protocol.message.JoinGroupResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;

/**
 * JoinGroup v0–9. The answer may wait for the rebalance (up to the rebalance timeout). v0 has no
 * rebalance timeout: the session timeout stands in, as in Kafka. v4+ new members first get
 * MEMBER_ID_REQUIRED with their id.
 */
final class JoinGroupHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        short version = context.apiVersion();
        JoinGroupRequest request = JoinGroupRequest.read(body, version);
        List<GroupProtocol> protocols = new ArrayList<>(request.protocols().size());
        for (JoinGroupRequest.JoinGroupRequestProtocol protocol : request.protocols()) {
            protocols.add(new GroupProtocol(protocol.name(), protocol.metadata()));
        }
        int rebalanceTimeout = version == 0 || request.rebalanceTimeoutMs() < 0
                ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
        JoinGroupParams params = new JoinGroupParams(request.groupId(), request.memberId(), request.groupInstanceId(),
                request.protocolType(), protocols, request.sessionTimeoutMs(), rebalanceTimeout, context.clientId(),
                clientHost(context.remoteAddress()), version >= 4, version >= 9);
        coordinator.joinGroup(params, result -> context.respond(toResponse(result, version)));
    }

    private static JoinGroupResponse toResponse(JoinGroupResult result, short version) {
        List<JoinGroupResponse.JoinGroupResponseMember> members = new ArrayList<>(result.members().size());
        for (JoinGroupResult.JoinedMember member : result.members()) {
            members.add(new JoinGroupResponse.JoinGroupResponseMember().setMemberId(member.memberId())
                    .setGroupInstanceId(version >= 5 ? member.groupInstanceId() : null)
                    .setMetadata(member.metadata()));
        }
        String protocolName = result.protocolName();
        if (protocolName == null && version < 7) {
            protocolName = "";
        }
        return new JoinGroupResponse().setErrorCode(result.error().code()).setGenerationId(result.generationId())
                .setProtocolType(version >= 7 ? result.protocolType() : null).setProtocolName(protocolName)
                .setLeader(result.leaderId() == null ? "" : result.leaderId())
                .setSkipAssignment(version >= 9 && result.skipAssignment())
                .setMemberId(result.memberId()).setMembers(members);
    }

    /** Kafka shows the client's address as "/ip". */
    static String clientHost(String remoteAddress) {
        if (remoteAddress == null) {
            return "";
        }
        int colon = remoteAddress.lastIndexOf(':');
        String host = colon > 0 ? remoteAddress.substring(0, colon) : remoteAddress;
        return host.startsWith("/") ? host : "/" + host;
    }
}

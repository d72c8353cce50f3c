package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.group.GroupDescription;
import io.tidelog.protocol.message.DescribeGroupsRequest;
import io.tidelog.protocol.message.DescribeGroupsResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;

/** DescribeGroups v0–5: state, protocol and members of each group (unknown groups are Dead). */
final class DescribeGroupsHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        short version = context.apiVersion();
        DescribeGroupsRequest request = DescribeGroupsRequest.read(body, version);
        coordinator.describeGroups(request.groups(), descriptions -> {
            List<DescribeGroupsResponse.DescribedGroup> groups = new ArrayList<>(descriptions.size());
            for (GroupDescription d : descriptions) {
                groups.add(toGroup(d, version));
            }
            context.respond(new DescribeGroupsResponse().setGroups(groups));
        });
    }

    private static DescribeGroupsResponse.DescribedGroup toGroup(GroupDescription d, short version) {
        List<DescribeGroupsResponse.DescribedGroup.DescribedGroupMember> members = new ArrayList<>(d.members().size());
        for (GroupDescription.MemberDescription m : d.members()) {
            members.add(new DescribeGroupsResponse.DescribedGroup.DescribedGroupMember().setMemberId(m.memberId())
                    .setGroupInstanceId(version >= 4 ? m.groupInstanceId() : null).setClientId(m.clientId())
                    .setClientHost(m.clientHost()).setMemberMetadata(m.metadata()).setMemberAssignment(m.assignment()));
        }
        DescribeGroupsResponse.DescribedGroup group = new DescribeGroupsResponse.DescribedGroup()
                .setErrorCode(d.error().code()).setGroupId(d.groupId()).setGroupState(d.state())
                .setProtocolType(d.protocolType()).setProtocolData(d.protocolName()).setMembers(members);
        if (version >= 3) {
            group.setAuthorizedOperations(Integer.MIN_VALUE);
        }
        return group;
    }
}

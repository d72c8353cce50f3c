package io.tidelog.broker.group;

import io.tidelog.protocol.Errors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Read-only views of groups for DescribeGroups and ListGroups (owner thread, like the groups). */
final class GroupViews {

    private GroupViews() {
    }

    /** DescribeGroups' view of {@code group} (null: it does not exist). */
    static GroupDescription describe(String groupId, GroupMetadata group) {
        if (group == null) {
            return new GroupDescription(groupId, Errors.NONE, GroupState.DEAD.displayName(), "", "", List.of());
        }
        boolean stable = group.is(GroupState.STABLE);
        List<GroupDescription.MemberDescription> members = new ArrayList<>(group.size());
        byte[] none = new byte[0];
        for (MemberMetadata m : group.members()) {
            members.add(new GroupDescription.MemberDescription(m.memberId(), m.groupInstanceId(), m.clientId(),
                    m.clientHost(), stable ? m.metadata(group.protocolName()) : none, stable ? m.assignment() : none));
        }
        return new GroupDescription(groupId, Errors.NONE, group.state().displayName(),
                group.protocolType() == null ? "" : group.protocolType(),
                stable && group.protocolName() != null ? group.protocolName() : "", members);
    }

    /** Every live group, for ListGroups. */
    static List<GroupOverview> overview(Collection<GroupMetadata> groups) {
        List<GroupOverview> all = new ArrayList<>(groups.size());
        for (GroupMetadata group : groups) {
            if (!group.is(GroupState.DEAD)) {
                all.add(new GroupOverview(group.groupId(), group.protocolType() == null ? "" : group.protocolType(),
                        group.state()));
            }
        }
        return all;
    }
}

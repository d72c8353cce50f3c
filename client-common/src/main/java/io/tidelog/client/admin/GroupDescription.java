package io.tidelog.client.admin;

import java.util.List;

/**
 * A group as its coordinator describes it: state (Empty, PreparingRebalance, CompletingRebalance,
 * Stable), protocol type ("consumer" for consumers) and chosen assignor, members, and the node id
 * of its coordinator.
 */
public record GroupDescription(String groupId, String state, String protocolType, String protocol,
                               List<MemberDescription> members, int coordinatorId) {

    public GroupDescription {
        members = List.copyOf(members);
    }

    /** True when no member is in the group: offsets may be reset and the group deleted. */
    public boolean isEmpty() {
        return members.isEmpty();
    }
}

package io.tidelog.broker.group;

/** ListGroups' view of a group: its id, protocol type ("" for offset-only groups) and state. */
public record GroupOverview(String groupId, String protocolType, GroupState state) {
}

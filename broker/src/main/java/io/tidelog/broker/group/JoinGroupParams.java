package io.tidelog.broker.group;

import java.util.List;

/**
 * A JoinGroup as the coordinator sees it, independent of the wire version.
 *
 * @param memberId             "" for a member that has none yet
 * @param groupInstanceId      static membership id, or null
 * @param requireKnownMemberId v4+: a new member first gets MEMBER_ID_REQUIRED with its id
 * @param supportsSkipAssignment v9+: a static leader that rejoins a stable group need not reassign
 */
public record JoinGroupParams(String groupId, String memberId, String groupInstanceId, String protocolType,
                              List<GroupProtocol> protocols, int sessionTimeoutMs, int rebalanceTimeoutMs,
                              String clientId, String clientHost, boolean requireKnownMemberId,
                              boolean supportsSkipAssignment) {

    public JoinGroupParams {
        memberId = memberId == null ? "" : memberId;
        protocols = List.copyOf(protocols);
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
    }
}

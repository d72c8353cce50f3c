package io.tidelog.broker.group;

import io.tidelog.protocol.Errors;
import java.util.List;

/**
 * The answer to a JoinGroup. Only the leader gets {@code members} (everyone's metadata for the
 * chosen protocol); the others get an empty list.
 */
public record JoinGroupResult(Errors error, int generationId, String protocolType, String protocolName,
                              String leaderId, String memberId, boolean skipAssignment, List<JoinedMember> members) {

    /** A member as the leader sees it when assigning. */
    public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {
    }

    public static JoinGroupResult error(Errors error, String memberId) {
        return new JoinGroupResult(error, -1, null, null, "", memberId == null ? "" : memberId, false, List.of());
    }
}

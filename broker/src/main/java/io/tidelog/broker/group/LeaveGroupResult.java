package io.tidelog.broker.group;

import io.tidelog.protocol.Errors;
import java.util.List;

/** The answer to a LeaveGroup: a group-level error and one error per leaving member. */
public record LeaveGroupResult(Errors error, List<MemberResult> members) {

    public record MemberResult(String memberId, String groupInstanceId, Errors error) {
    }
}

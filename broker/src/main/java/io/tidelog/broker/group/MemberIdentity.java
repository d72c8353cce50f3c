package io.tidelog.broker.group;

/** A member named in a LeaveGroup: its member id ("" if unknown) and static instance id (or null). */
public record MemberIdentity(String memberId, String groupInstanceId) {

    public MemberIdentity {
        memberId = memberId == null ? "" : memberId;
    }
}

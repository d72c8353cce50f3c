package io.tidelog.broker.group;

import java.util.List;
import java.util.function.Consumer;

/**
 * One member of a group: who it is, what it supports, what it was assigned, and the answers it is
 * waiting for. Changed only on the owner thread of its group.
 *
 * <p>Invariants: at most one parked JoinGroup and one parked SyncGroup answer at a time (before
 * parking a newer request the shard answers the older one); {@code heartbeatDeadlineMs} is on the
 * monotonic clock.
 */
final class MemberMetadata {

    private static final byte[] EMPTY = new byte[0];

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<GroupProtocol> protocols;
    private byte[] assignment = EMPTY;
    private boolean supportsSkipAssignment;
    private Consumer<JoinGroupResult> awaitingJoin;
    private Consumer<SyncGroupResult> awaitingSync;
    private long heartbeatDeadlineMs;
    /** Joined but not yet part of a completed generation (a longer join timeout applies). */
    private boolean isNew;

    MemberMetadata(String memberId, String groupInstanceId, String clientId, String clientHost,
                   int rebalanceTimeoutMs, int sessionTimeoutMs, List<GroupProtocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    /** The same member under a new member id (a static member rejoining). */
    MemberMetadata withMemberId(String newMemberId) {
        MemberMetadata copy = new MemberMetadata(newMemberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
                sessionTimeoutMs, protocols);
        copy.assignment = assignment;
        copy.supportsSkipAssignment = supportsSkipAssignment;
        copy.heartbeatDeadlineMs = heartbeatDeadlineMs;
        return copy;
    }

    String memberId() {
        return memberId;
    }

    String groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    List<GroupProtocol> protocols() {
        return protocols;
    }

    void update(List<GroupProtocol> newProtocols, int newRebalanceTimeoutMs, int newSessionTimeoutMs,
                boolean newSupportsSkipAssignment) {
        this.protocols = List.copyOf(newProtocols);
        this.rebalanceTimeoutMs = newRebalanceTimeoutMs;
        this.sessionTimeoutMs = newSessionTimeoutMs;
        this.supportsSkipAssignment = newSupportsSkipAssignment;
    }

    boolean supportsSkipAssignment() {
        return supportsSkipAssignment;
    }

    /** Same protocols, in the same order, with the same metadata. */
    boolean hasProtocols(List<GroupProtocol> other) {
        return protocols.equals(other);
    }

    /** This member's metadata for {@code protocolName}; empty if it does not support it. */
    byte[] metadata(String protocolName) {
        for (GroupProtocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return protocol.metadata();
            }
        }
        return EMPTY;
    }

    boolean supports(String protocolName) {
        for (GroupProtocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return true;
            }
        }
        return false;
    }

    byte[] assignment() {
        return assignment;
    }

    void setAssignment(byte[] value) {
        this.assignment = value == null ? EMPTY : value;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** Parks a JoinGroup answer (callers answer any older parked one first). */
    void awaitJoin(Consumer<JoinGroupResult> callback) {
        this.awaitingJoin = callback;
    }

    /** Answers the parked JoinGroup, if any. */
    void completeJoin(JoinGroupResult result) {
        Consumer<JoinGroupResult> callback = awaitingJoin;
        awaitingJoin = null;
        if (callback != null) {
            callback.accept(result);
        }
    }

    void awaitSync(Consumer<SyncGroupResult> callback) {
        this.awaitingSync = callback;
    }

    /** Answers the parked SyncGroup, if any. */
    void completeSync(SyncGroupResult result) {
        Consumer<SyncGroupResult> callback = awaitingSync;
        awaitingSync = null;
        if (callback != null) {
            callback.accept(result);
        }
    }

    long heartbeatDeadlineMs() {
        return heartbeatDeadlineMs;
    }

    void setHeartbeatDeadlineMs(long deadlineMs) {
        this.heartbeatDeadlineMs = deadlineMs;
    }

    boolean isNew() {
        return isNew;
    }

    void setNew(boolean value) {
        this.isNew = value;
    }

    @Override
    public String toString() {
        return "Member(" + memberId + (groupInstanceId == null ? "" : ", instance " + groupInstanceId) + ")";
    }
}

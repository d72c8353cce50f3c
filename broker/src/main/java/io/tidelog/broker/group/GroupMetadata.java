package io.tidelog.broker.group;

import io.tidelog.broker.replica.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One group's membership, generation and committed offsets. Plain data plus the protocol's
 * small rules (which protocols are acceptable, which one is chosen, who leads); the transitions
 * live in {@link GroupShard}. Touched only by the owner thread of the group's offsets partition.
 *
 * <p>Invariants:
 * <ul>
 *   <li>{@code generationId} only grows; it is bumped once per completed rebalance.</li>
 *   <li>{@code leaderId} is a member's id, or null exactly when there are no members.</li>
 *   <li>{@code protocolType} is null only for a group that never had members (offsets only);
 *       every member's protocol type equals it.</li>
 *   <li>each static member's instance id maps to its current member id and back.</li>
 *   <li>Stable and CompletingRebalance groups have at least one member; Empty and Dead have none.</li>
 * </ul>
 */
final class GroupMetadata {

    private final String groupId;
    private GroupState state = GroupState.EMPTY;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private long stateTimestampMs;
    private final Map<String, MemberMetadata> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED → deadline (monotonic ms) to join with them. */
    private final Map<String, Long> pendingMembers = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    /** Partitions of commits appended but not yet answered → how many such commits name each. */
    private final Map<TopicPartition, Integer> pendingCommitPartitions = new HashMap<>();
    private int pendingOffsetCommits;

    // Rebalance timers (monotonic ms; -1 = none).
    private long joinDeadlineMs = -1;
    private long syncDeadlineMs = -1;
    /** During the initial delay of a new group's first rebalance: the latest the delay may reach. */
    private long initialDelayCapMs = -1;
    private boolean newMemberDuringInitialDelay;

    GroupMetadata(String groupId, long nowWallMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowWallMs;
    }

    String groupId() {
        return groupId;
    }

    GroupState state() {
        return state;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    void transitionTo(GroupState next, long nowWallMs) {
        this.state = next;
        this.stateTimestampMs = nowWallMs;
    }

    long stateTimestampMs() {
        return stateTimestampMs;
    }

    int generationId() {
        return generationId;
    }

    String protocolType() {
        return protocolType;
    }

    String protocolName() {
        return protocolName;
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    /** Restores what a group metadata record says (loading); members are added separately. */
    void restore(GroupState restoredState, int generation, String type, String protocol, String leader,
                 long stateTimestamp) {
        this.state = restoredState;
        this.generationId = generation;
        this.protocolType = type;
        this.protocolName = protocol;
        this.leaderId = leader;
        this.stateTimestampMs = stateTimestamp;
    }

    // ------------------------------------------------------------------ members

    int size() {
        return members.size();
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    Collection<MemberMetadata> members() {
        return members.values();
    }

    /** A snapshot, for loops that remove members. */
    List<MemberMetadata> memberList() {
        return new ArrayList<>(members.values());
    }

    MemberMetadata member(String memberId) {
        return members.get(memberId);
    }

    boolean has(String memberId) {
        return members.containsKey(memberId);
    }

    /** Adds a member; the first member of a group sets its protocol type and becomes leader. */
    void add(MemberMetadata member, String memberProtocolType) {
        if (members.isEmpty()) {
            this.protocolType = memberProtocolType;
        }
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    /** Forgets every member (before restoring a stored generation). */
    void clearMembers() {
        members.clear();
        staticMembers.clear();
        leaderId = null;
    }

    /** Removes a member; a new leader is picked if it led. */
    void remove(String memberId) {
        MemberMetadata removed = members.remove(memberId);
        if (removed != null && removed.isStatic()
                && memberId.equals(staticMembers.get(removed.groupInstanceId()))) {
            staticMembers.remove(removed.groupInstanceId());
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** The member id currently holding a static instance id, or null. */
    String staticMemberId(String groupInstanceId) {
        return groupInstanceId == null ? null : staticMembers.get(groupInstanceId);
    }

    /** Replaces a static member's old member id with a new one, keeping its assignment and leadership. */
    MemberMetadata replaceStaticMember(String oldMemberId, String newMemberId) {
        MemberMetadata old = members.remove(oldMemberId);
        MemberMetadata replacement = old.withMemberId(newMemberId);
        members.put(newMemberId, replacement);
        staticMembers.put(old.groupInstanceId(), newMemberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        return replacement;
    }

    void addPending(String memberId, long deadlineMs) {
        pendingMembers.put(memberId, deadlineMs);
    }

    boolean isPending(String memberId) {
        return pendingMembers.containsKey(memberId);
    }

    void removePending(String memberId) {
        pendingMembers.remove(memberId);
    }

    Map<String, Long> pendingMembers() {
        return pendingMembers;
    }

    /** Every known member has rejoined and no handed-out member id is still outstanding. */
    boolean allMembersJoined() {
        if (!pendingMembers.isEmpty()) {
            return false;
        }
        for (MemberMetadata member : members.values()) {
            if (!member.isAwaitingJoin()) {
                return false;
            }
        }
        return true;
    }

    int maxRebalanceTimeoutMs() {
        int max = 0;
        for (MemberMetadata member : members.values()) {
            max = Math.max(max, member.rebalanceTimeoutMs());
        }
        return max;
    }

    // ------------------------------------------------------------------ protocols

    /**
     * Whether a member with this protocol type and these protocols may join: into an empty group
     * anything non-empty; otherwise the same protocol type and at least one protocol every
     * current member supports too.
     */
    boolean supportsProtocols(String memberProtocolType, List<GroupProtocol> memberProtocols) {
        if (memberProtocolType == null || memberProtocolType.isEmpty() || memberProtocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        Set<String> candidates = candidateProtocols();
        for (GroupProtocol protocol : memberProtocols) {
            if (candidates.contains(protocol.name())) {
                return true;
            }
        }
        return false;
    }

    /** Protocols every member supports. */
    private Set<String> candidateProtocols() {
        Set<String> candidates = null;
        for (MemberMetadata member : members.values()) {
            Set<String> names = new HashSet<>();
            for (GroupProtocol protocol : member.protocols()) {
                names.add(protocol.name());
            }
            if (candidates == null) {
                candidates = names;
            } else {
                candidates.retainAll(names);
            }
        }
        return candidates == null ? Set.of() : candidates;
    }

    /**
     * The protocol for the next generation: among those every member supports, each member votes
     * for the first of them in its own preference order; most votes wins, a tie goes to the
     * alphabetically first name so the choice is deterministic.
     */
    String selectProtocol() {
        Set<String> candidates = candidateProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (MemberMetadata member : members.values()) {
            for (GroupProtocol protocol : member.protocols()) {
                if (candidates.contains(protocol.name())) {
                    votes.merge(protocol.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> vote : votes.entrySet()) {
            if (vote.getValue() > bestVotes || (vote.getValue() == bestVotes && vote.getKey().compareTo(best) < 0)) {
                best = vote.getKey();
                bestVotes = vote.getValue();
            }
        }
        return best;
    }

    /** Starts the next generation: bump, choose protocol and leader (null ones when empty). */
    void initNextGeneration() {
        generationId++;
        if (members.isEmpty()) {
            protocolName = null;
            leaderId = null;
        } else {
            protocolName = selectProtocol();
            if (leaderId == null || !members.containsKey(leaderId)) {
                leaderId = members.keySet().iterator().next();
            }
        }
    }

    // ------------------------------------------------------------------ offsets

    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }

    boolean hasPendingCommits() {
        return pendingOffsetCommits > 0;
    }

    /** A commit of {@code partitions} was appended; until it is answered its records may land after a deletion's tombstones. */
    void commitStarted(Collection<TopicPartition> partitions) {
        pendingOffsetCommits++;
        for (TopicPartition tp : partitions) {
            pendingCommitPartitions.merge(tp, 1, Integer::sum);
        }
    }

    void commitFinished(Collection<TopicPartition> partitions) {
        pendingOffsetCommits--;
        for (TopicPartition tp : partitions) {
            pendingCommitPartitions.computeIfPresent(tp, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Partitions named by commits in flight (a deletion must tombstone them too). */
    Set<TopicPartition> pendingCommitPartitions() {
        return pendingCommitPartitions.keySet();
    }

    // ------------------------------------------------------------------ timers

    long joinDeadlineMs() {
        return joinDeadlineMs;
    }

    void setJoinDeadlineMs(long value) {
        this.joinDeadlineMs = value;
    }

    long syncDeadlineMs() {
        return syncDeadlineMs;
    }

    void setSyncDeadlineMs(long value) {
        this.syncDeadlineMs = value;
    }

    boolean inInitialDelay() {
        return initialDelayCapMs >= 0;
    }

    long initialDelayCapMs() {
        return initialDelayCapMs;
    }

    void setInitialDelayCapMs(long value) {
        this.initialDelayCapMs = value;
    }

    boolean newMemberDuringInitialDelay() {
        return newMemberDuringInitialDelay;
    }

    void setNewMemberDuringInitialDelay(boolean value) {
        this.newMemberDuringInitialDelay = value;
    }

    @Override
    public String toString() {
        return "Group(" + groupId + ", " + state.displayName() + ", generation " + generationId + ", "
                + members.size() + " member(s))";
    }
}

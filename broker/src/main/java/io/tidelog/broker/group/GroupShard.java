package io.tidelog.broker.group;

import io.tidelog.broker.Time;
import io.tidelog.protocol.Errors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups of one {@code __consumer_offsets} partition and the classic membership protocol:
 * JoinGroup, SyncGroup, Heartbeat, LeaveGroup, and the timers behind them.
 *
 * <p>Threading (Singular Update Queue): every method runs on the owner thread of this shard's
 * offsets partition, so groups need no locks. Timers are deadlines checked by {@link #tick()}
 * ({@link GroupTimers}), which the coordinator schedules onto the same thread. Answers are
 * callbacks, invoked on that thread; a request that has to wait (a join until everyone rejoined,
 * a follower's sync until the leader's assignment is stored) is parked in its member until then.
 *
 * <p>Invariants: a group is in {@link #groups} until it becomes Dead; every completed rebalance
 * bumps the generation exactly once; a parked join or sync is answered exactly once.
 */
final class GroupShard {

    private static final Logger LOG = LoggerFactory.getLogger(GroupShard.class);
    /** How long a brand-new member may take to rejoin a rebalance before it is dropped (Kafka's value). */
    static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000;

    private final int partition;
    private final GroupConfig config;
    private final Time time;
    private final ShardLog log;
    private final Map<String, GroupMetadata> groups = new HashMap<>();
    private final GroupTimers timers;

    GroupShard(int partition, GroupConfig config, Time time, ShardLog log) {
        this.partition = partition;
        this.config = config;
        this.time = time;
        this.log = log;
        this.timers = new GroupTimers(this, config);
    }

    int partition() {
        return partition;
    }

    GroupMetadata group(String groupId) {
        return groups.get(groupId);
    }

    Collection<GroupMetadata> groups() {
        return groups.values();
    }

    GroupMetadata getOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new GroupMetadata(id, time.milliseconds()));
    }

    void removeGroup(String groupId) {
        groups.remove(groupId);
    }

    long nowMs() {
        return time.nanoseconds() / 1_000_000L;
    }

    // ------------------------------------------------------------------ JoinGroup

    void joinGroup(JoinGroupParams p, Consumer<JoinGroupResult> done) {
        if (p.groupId() == null || p.groupId().isEmpty()) {
            done.accept(JoinGroupResult.error(Errors.INVALID_GROUP_ID, p.memberId()));
            return;
        }
        if (p.sessionTimeoutMs() < config.minSessionTimeoutMs() || p.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            done.accept(JoinGroupResult.error(Errors.INVALID_SESSION_TIMEOUT, p.memberId()));
            return;
        }
        boolean newMember = p.memberId().isEmpty();
        GroupMetadata group = groups.get(p.groupId());
        if (group == null && !newMember) {
            done.accept(JoinGroupResult.error(Errors.UNKNOWN_MEMBER_ID, p.memberId()));
            return;
        }
        GroupMetadata target = group != null ? group : new GroupMetadata(p.groupId(), time.milliseconds());
        if (target.is(GroupState.DEAD)) {
            done.accept(JoinGroupResult.error(Errors.COORDINATOR_NOT_AVAILABLE, p.memberId()));
            return;
        }
        if (!target.supportsProtocols(p.protocolType(), p.protocols())) {
            done.accept(JoinGroupResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, p.memberId()));
            return;
        }
        if (group == null) {
            groups.put(target.groupId(), target);
        }
        if (newMember) {
            joinAsNewMember(target, p, done);
        } else {
            joinAsKnownMember(target, p, done);
        }
    }

    private void joinAsNewMember(GroupMetadata group, JoinGroupParams p, Consumer<JoinGroupResult> done) {
        String existingStatic = group.staticMemberId(p.groupInstanceId());
        if (existingStatic != null) {
            replaceStaticMember(group, existingStatic, p, done);
            return;
        }
        if (group.size() + group.pendingMembers().size() >= config.maxSize()) {
            done.accept(JoinGroupResult.error(Errors.GROUP_MAX_SIZE_REACHED, ""));
            return;
        }
        String memberId = (p.groupInstanceId() != null ? p.groupInstanceId() : p.clientId()) + "-" + UUID.randomUUID();
        if (p.requireKnownMemberId() && p.groupInstanceId() == null) {
            group.addPending(memberId, nowMs() + p.sessionTimeoutMs());
            done.accept(JoinGroupResult.error(Errors.MEMBER_ID_REQUIRED, memberId));
            return;
        }
        addMemberAndRebalance(group, memberId, p, done);
    }

    private void joinAsKnownMember(GroupMetadata group, JoinGroupParams p, Consumer<JoinGroupResult> done) {
        String memberId = p.memberId();
        if (p.groupInstanceId() == null && group.isPending(memberId)) {
            group.removePending(memberId);
            addMemberAndRebalance(group, memberId, p, done);
            return;
        }
        Errors error = checkMember(group, memberId, p.groupInstanceId());
        if (error != Errors.NONE) {
            done.accept(JoinGroupResult.error(error, memberId));
            return;
        }
        MemberMetadata member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(group, member, p, done);
            case COMPLETING_REBALANCE -> {
                if (member.hasProtocols(p.protocols())) {
                    // A resent join: answer with what the rebalance decided.
                    done.accept(joinResult(group, member, false));
                } else {
                    updateMemberAndRebalance(group, member, p, done);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.hasProtocols(p.protocols())) {
                    updateMemberAndRebalance(group, member, p, done);
                } else {
                    scheduleHeartbeat(member);
                    done.accept(joinResult(group, member, false));
                }
            }
            default -> done.accept(JoinGroupResult.error(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    /**
     * A static member rejoins without its member id (a restarted process): it takes over the old
     * id's place and the old id's parked requests are fenced. In a Stable group whose selected
     * protocol stays the same it keeps the generation and its assignment without a rebalance (a
     * leader only if it can skip assigning, v9+); otherwise the group rebalances.
     */
    private void replaceStaticMember(GroupMetadata group, String oldMemberId, JoinGroupParams p,
                                     Consumer<JoinGroupResult> done) {
        MemberMetadata old = group.member(oldMemberId);
        old.completeJoin(JoinGroupResult.error(Errors.FENCED_INSTANCE_ID, oldMemberId));
        old.completeSync(SyncGroupResult.error(Errors.FENCED_INSTANCE_ID));
        String newMemberId = p.groupInstanceId() + "-" + UUID.randomUUID();
        MemberMetadata member = group.replaceStaticMember(oldMemberId, newMemberId);
        member.update(p.protocols(), p.rebalanceTimeoutMs(), p.sessionTimeoutMs(), p.supportsSkipAssignment());
        boolean leader = group.isLeader(newMemberId);
        LOG.info("Static member {} of group {} rejoined as {} (was {})", p.groupInstanceId(), group.groupId(),
                newMemberId, oldMemberId);
        switch (group.state()) {
            case STABLE -> {
                boolean sameProtocol = group.protocolName().equals(group.selectProtocol());
                if (sameProtocol && (!leader || p.supportsSkipAssignment())) {
                    scheduleHeartbeat(member);
                    storeGroup(group, error -> {
                    });
                    done.accept(joinResult(group, member, leader));
                } else {
                    member.awaitJoin(done);
                    prepareRebalance(group, "static member " + p.groupInstanceId() + " rejoined and must be reassigned");
                }
            }
            case COMPLETING_REBALANCE -> {
                member.awaitJoin(done);
                prepareRebalance(group, "static member " + p.groupInstanceId() + " rejoined during the sync phase");
            }
            default -> {
                member.awaitJoin(done);
                tryCompleteJoin(group);
            }
        }
    }

    private void addMemberAndRebalance(GroupMetadata group, String memberId, JoinGroupParams p,
                                       Consumer<JoinGroupResult> done) {
        MemberMetadata member = new MemberMetadata(memberId, p.groupInstanceId(), p.clientId(), p.clientHost(),
                p.rebalanceTimeoutMs(), p.sessionTimeoutMs(), p.protocols());
        member.update(p.protocols(), p.rebalanceTimeoutMs(), p.sessionTimeoutMs(), p.supportsSkipAssignment());
        member.setNew(true);
        member.awaitJoin(done);
        member.setHeartbeatDeadlineMs(nowMs() + NEW_MEMBER_JOIN_TIMEOUT_MS);
        group.add(member, p.protocolType());
        if (group.inInitialDelay()) {
            group.setNewMemberDuringInitialDelay(true);
        }
        maybePrepareRebalance(group, "member " + memberId + " joined");
    }

    private void updateMemberAndRebalance(GroupMetadata group, MemberMetadata member, JoinGroupParams p,
                                          Consumer<JoinGroupResult> done) {
        member.completeJoin(JoinGroupResult.error(Errors.REBALANCE_IN_PROGRESS, member.memberId()));
        member.update(p.protocols(), p.rebalanceTimeoutMs(), p.sessionTimeoutMs(), p.supportsSkipAssignment());
        member.awaitJoin(done);
        maybePrepareRebalance(group, "member " + member.memberId() + " rejoined");
    }

    private JoinGroupResult joinResult(GroupMetadata group, MemberMetadata member, boolean skipAssignment) {
        boolean leader = group.isLeader(member.memberId());
        List<JoinGroupResult.JoinedMember> members = List.of();
        if (leader) {
            members = new ArrayList<>(group.size());
            for (MemberMetadata m : group.members()) {
                members.add(new JoinGroupResult.JoinedMember(m.memberId(), m.groupInstanceId(),
                        m.metadata(group.protocolName())));
            }
        }
        return new JoinGroupResult(Errors.NONE, group.generationId(), group.protocolType(), group.protocolName(),
                group.leaderId(), member.memberId(), skipAssignment, members);
    }

    // ------------------------------------------------------------------ rebalance

    private void maybePrepareRebalance(GroupMetadata group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE, EMPTY -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> tryCompleteJoin(group);
            default -> {
            }
        }
    }

    /**
     * Starts a rebalance: pending syncs learn it is in progress, members must rejoin within the
     * largest rebalance timeout. A new group's first rebalance waits the initial delay instead,
     * extended while members keep arriving, never past the rebalance timeout.
     */
    void prepareRebalance(GroupMetadata group, String reason) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            for (MemberMetadata member : group.members()) {
                member.setAssignment(null);
                member.completeSync(SyncGroupResult.error(Errors.REBALANCE_IN_PROGRESS));
            }
        }
        group.setSyncDeadlineMs(-1);
        long now = nowMs();
        int rebalanceTimeout = group.maxRebalanceTimeoutMs();
        boolean initial = group.is(GroupState.EMPTY) && config.initialRebalanceDelayMs() > 0;
        if (initial) {
            group.setJoinDeadlineMs(now + config.initialRebalanceDelayMs());
            group.setInitialDelayCapMs(now + Math.max(config.initialRebalanceDelayMs(), rebalanceTimeout));
            group.setNewMemberDuringInitialDelay(false);
        } else {
            group.setJoinDeadlineMs(now + rebalanceTimeout);
            group.setInitialDelayCapMs(-1);
        }
        group.transitionTo(GroupState.PREPARING_REBALANCE, time.milliseconds());
        LOG.info("Preparing to rebalance group {} in generation {} ({})", group.groupId(), group.generationId(), reason);
        tryCompleteJoin(group);
    }

    void tryCompleteJoin(GroupMetadata group) {
        if (group.is(GroupState.PREPARING_REBALANCE) && !group.inInitialDelay() && group.allMembersJoined()) {
            completeJoin(group);
        }
    }

    /**
     * Ends the join phase: members that did not rejoin are dropped, the generation is bumped, and
     * every rejoined member gets its answer (the leader with everyone's metadata).
     */
    void completeJoin(GroupMetadata group) {
        for (MemberMetadata member : group.memberList()) {
            if (!member.isAwaitingJoin()) {
                LOG.info("Removing member {} from group {}: it did not rejoin in time", member.memberId(),
                        group.groupId());
                group.remove(member.memberId());
            }
        }
        group.setJoinDeadlineMs(-1);
        group.setInitialDelayCapMs(-1);
        group.initNextGeneration();
        long now = nowMs();
        if (group.isEmpty()) {
            group.transitionTo(GroupState.EMPTY, time.milliseconds());
            LOG.info("Group {} is empty in generation {}", group.groupId(), group.generationId());
            storeGroup(group, error -> {
            });
            return;
        }
        group.transitionTo(GroupState.COMPLETING_REBALANCE, time.milliseconds());
        group.setSyncDeadlineMs(now + group.maxRebalanceTimeoutMs());
        LOG.info("Group {} formed generation {} with {} member(s), protocol {}, leader {}", group.groupId(),
                group.generationId(), group.size(), group.protocolName(), group.leaderId());
        for (MemberMetadata member : group.memberList()) {
            member.setNew(false);
            member.setHeartbeatDeadlineMs(now + member.sessionTimeoutMs());
            member.completeJoin(joinResult(group, member, false));
        }
    }

    // ------------------------------------------------------------------ SyncGroup

    void syncGroup(String groupId, int generationId, String memberId, String groupInstanceId, String protocolType,
                   String protocolName, Map<String, byte[]> assignments, Consumer<SyncGroupResult> done) {
        GroupMetadata group = groups.get(groupId);
        if (group == null) {
            done.accept(SyncGroupResult.error(Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        if (group.is(GroupState.DEAD)) {
            done.accept(SyncGroupResult.error(Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        Errors error = checkMemberAndGeneration(group, memberId, groupInstanceId, generationId);
        if (error == Errors.NONE && !protocolMatches(group, protocolType, protocolName)) {
            error = Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (error != Errors.NONE) {
            done.accept(SyncGroupResult.error(error));
            return;
        }
        MemberMetadata member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> done.accept(SyncGroupResult.error(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                member.completeSync(SyncGroupResult.error(Errors.REBALANCE_IN_PROGRESS));
                member.awaitSync(done);
                scheduleHeartbeat(member);
                if (group.isLeader(memberId)) {
                    storeAssignment(group, assignments);
                }
            }
            case STABLE -> {
                scheduleHeartbeat(member);
                done.accept(syncResult(group, member));
            }
            default -> done.accept(SyncGroupResult.error(Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private static boolean protocolMatches(GroupMetadata group, String protocolType, String protocolName) {
        return (protocolType == null || protocolType.equals(group.protocolType()))
                && (protocolName == null || protocolName.equals(group.protocolName()));
    }

    private static SyncGroupResult syncResult(GroupMetadata group, MemberMetadata member) {
        return new SyncGroupResult(Errors.NONE, group.protocolType(), group.protocolName(), member.assignment());
    }

    /**
     * The leader's assignment: written to the log with the group, then handed to every member
     * waiting in SyncGroup and the group becomes Stable — unless the generation moved on meanwhile.
     */
    private void storeAssignment(GroupMetadata group, Map<String, byte[]> assignments) {
        int generation = group.generationId();
        for (MemberMetadata member : group.members()) {
            member.setAssignment(assignments.get(member.memberId()));
        }
        storeGroup(group, error -> {
            if (!group.is(GroupState.COMPLETING_REBALANCE) || group.generationId() != generation) {
                return;
            }
            if (error != Errors.NONE) {
                LOG.warn("Storing the assignment of group {} generation {} failed with {}; rebalancing",
                        group.groupId(), generation, error);
                for (MemberMetadata member : group.members()) {
                    member.setAssignment(null);
                    member.completeSync(SyncGroupResult.error(error));
                }
                prepareRebalance(group, "its assignment could not be stored");
                return;
            }
            group.setSyncDeadlineMs(-1);
            group.transitionTo(GroupState.STABLE, time.milliseconds());
            for (MemberMetadata member : group.members()) {
                member.completeSync(syncResult(group, member));
            }
        });
    }

    // ------------------------------------------------------------------ Heartbeat

    void heartbeat(String groupId, String memberId, String groupInstanceId, int generationId, Consumer<Errors> done) {
        GroupMetadata group = groups.get(groupId);
        if (group == null) {
            done.accept(Errors.UNKNOWN_MEMBER_ID);
            return;
        }
        if (group.is(GroupState.DEAD)) {
            done.accept(Errors.COORDINATOR_NOT_AVAILABLE);
            return;
        }
        Errors error = checkMemberAndGeneration(group, memberId, groupInstanceId, generationId);
        if (error != Errors.NONE) {
            done.accept(error);
            return;
        }
        MemberMetadata member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> {
                scheduleHeartbeat(member);
                done.accept(Errors.REBALANCE_IN_PROGRESS);
            }
            case COMPLETING_REBALANCE, STABLE -> {
                scheduleHeartbeat(member);
                done.accept(Errors.NONE);
            }
            default -> done.accept(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    /** Counts any valid request from a member as a sign of life. */
    void scheduleHeartbeat(MemberMetadata member) {
        member.setHeartbeatDeadlineMs(nowMs() + member.sessionTimeoutMs());
    }

    // ------------------------------------------------------------------ LeaveGroup

    void leaveGroup(String groupId, List<MemberIdentity> leaving, Consumer<LeaveGroupResult> done) {
        GroupMetadata group = groups.get(groupId);
        List<LeaveGroupResult.MemberResult> results = new ArrayList<>(leaving.size());
        if (group != null && group.is(GroupState.DEAD)) {
            done.accept(new LeaveGroupResult(Errors.COORDINATOR_NOT_AVAILABLE, List.of()));
            return;
        }
        for (MemberIdentity identity : leaving) {
            Errors error = group == null ? Errors.UNKNOWN_MEMBER_ID : leaveOne(group, identity);
            results.add(new LeaveGroupResult.MemberResult(identity.memberId(), identity.groupInstanceId(), error));
        }
        done.accept(new LeaveGroupResult(Errors.NONE, results));
    }

    private Errors leaveOne(GroupMetadata group, MemberIdentity identity) {
        String memberId = identity.memberId();
        if (identity.groupInstanceId() == null && group.isPending(memberId)) {
            group.removePending(memberId);
            tryCompleteJoin(group);
            return Errors.NONE;
        }
        if (identity.groupInstanceId() != null && memberId.isEmpty()) {
            memberId = group.staticMemberId(identity.groupInstanceId());
            if (memberId == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
        }
        Errors error = checkMember(group, memberId, identity.groupInstanceId());
        if (error != Errors.NONE) {
            return error;
        }
        removeMemberAndUpdateGroup(group, group.member(memberId), "it left the group");
        return Errors.NONE;
    }

    /** Drops a member (left or died) and rebalances the others. */
    void removeMemberAndUpdateGroup(GroupMetadata group, MemberMetadata member, String reason) {
        LOG.info("Removing member {} from group {}: {}", member.memberId(), group.groupId(), reason);
        member.completeJoin(JoinGroupResult.error(Errors.UNKNOWN_MEMBER_ID, member.memberId()));
        member.completeSync(SyncGroupResult.error(Errors.UNKNOWN_MEMBER_ID));
        group.remove(member.memberId());
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, "member " + member.memberId() + " is gone");
            case PREPARING_REBALANCE -> tryCompleteJoin(group);
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ member checks

    /** FENCED_INSTANCE_ID, UNKNOWN_MEMBER_ID or NONE. */
    static Errors checkMember(GroupMetadata group, String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = group.staticMemberId(groupInstanceId);
            if (current != null && !current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return group.has(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    /** As {@link #checkMember}, then ILLEGAL_GENERATION for a generation other than the group's. */
    static Errors checkMemberAndGeneration(GroupMetadata group, String memberId, String groupInstanceId,
                                           int generationId) {
        Errors error = checkMember(group, memberId, groupInstanceId);
        if (error != Errors.NONE) {
            return error;
        }
        return generationId == group.generationId() ? Errors.NONE : Errors.ILLEGAL_GENERATION;
    }

    // ------------------------------------------------------------------ timers

    /** Fires every deadline that has passed (see {@link GroupTimers}). */
    void tick() {
        timers.tick();
    }

    /** Answers every parked request with NOT_COORDINATOR (the coordinator is going away). */
    void unload() {
        for (GroupMetadata group : groups.values()) {
            for (MemberMetadata member : group.members()) {
                member.completeJoin(JoinGroupResult.error(Errors.NOT_COORDINATOR, member.memberId()));
                member.completeSync(SyncGroupResult.error(Errors.NOT_COORDINATOR));
            }
        }
    }

    // ------------------------------------------------------------------ persistence

    /** Writes the group's generation, protocol, members and assignments to the log. */
    void storeGroup(GroupMetadata group, Consumer<Errors> done) {
        log.append(List.of(GroupRecords.groupRecord(group)), error -> {
            if (error != Errors.NONE) {
                LOG.warn("Could not store group {} generation {}: {}", group.groupId(), group.generationId(), error);
            }
            done.accept(GroupRecords.storeError(error));
        });
    }

    /** DescribeGroups' view of a group. */
    GroupDescription describe(String groupId) {
        return GroupViews.describe(groupId, groups.get(groupId));
    }

    /** Every live group, for ListGroups. */
    List<GroupOverview> overview() {
        return GroupViews.overview(groups.values());
    }
}

package io.tidelog.broker.group;

import io.tidelog.protocol.Errors;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of one shard's groups: outstanding MEMBER_ID_REQUIRED ids, the join phase (and a
 * new group's initial delay), the sync phase, and each member's session. Nothing here runs on a
 * timer thread: {@link #tick()} is called on the shard's owner thread and compares deadlines
 * (monotonic ms) with the injected clock.
 */
final class GroupTimers {

    private static final Logger LOG = LoggerFactory.getLogger(GroupTimers.class);

    private final GroupShard shard;
    private final GroupConfig config;

    GroupTimers(GroupShard shard, GroupConfig config) {
        this.shard = shard;
        this.config = config;
    }

    /** Fires every deadline that has passed: pending ids, join and sync phases, member sessions. */
    void tick() {
        long now = shard.nowMs();
        for (GroupMetadata group : new ArrayList<>(shard.groups())) {
            expirePendingMembers(group, now);
            if (group.is(GroupState.PREPARING_REBALANCE) && group.joinDeadlineMs() >= 0
                    && now >= group.joinDeadlineMs()) {
                onJoinDeadline(group, now);
            }
            if (group.is(GroupState.COMPLETING_REBALANCE) && group.syncDeadlineMs() >= 0
                    && now >= group.syncDeadlineMs()) {
                onSyncDeadline(group);
            }
            expireSessions(group, now);
        }
    }

    private void expirePendingMembers(GroupMetadata group, long now) {
        if (group.pendingMembers().isEmpty()) {
            return;
        }
        boolean removed = group.pendingMembers().values().removeIf(deadline -> now >= deadline);
        if (removed) {
            shard.tryCompleteJoin(group);
        }
    }

    private void onJoinDeadline(GroupMetadata group, long now) {
        if (group.inInitialDelay() && group.newMemberDuringInitialDelay() && now < group.initialDelayCapMs()) {
            group.setNewMemberDuringInitialDelay(false);
            group.setJoinDeadlineMs(Math.min(now + config.initialRebalanceDelayMs(), group.initialDelayCapMs()));
            return;
        }
        group.setInitialDelayCapMs(-1);
        shard.completeJoin(group);
    }

    /** The leader did not hand out an assignment in time: drop who has not synced, rebalance. */
    private void onSyncDeadline(GroupMetadata group) {
        for (MemberMetadata member : group.memberList()) {
            if (!member.isAwaitingSync()) {
                LOG.info("Removing member {} from group {}: no SyncGroup within the rebalance timeout",
                        member.memberId(), group.groupId());
                member.completeJoin(JoinGroupResult.error(Errors.UNKNOWN_MEMBER_ID, member.memberId()));
                group.remove(member.memberId());
            }
        }
        shard.prepareRebalance(group, "the sync phase timed out");
    }

    private void expireSessions(GroupMetadata group, long now) {
        for (MemberMetadata member : group.memberList()) {
            if (now < member.heartbeatDeadlineMs() || !group.has(member.memberId())) {
                continue;
            }
            if (member.isAwaitingJoin() && !member.isNew()) {
                continue; // a parked join is alive until the join phase ends
            }
            shard.removeMemberAndUpdateGroup(group, member,
                    "session timeout of " + member.sessionTimeoutMs() + " ms expired");
        }
    }
}

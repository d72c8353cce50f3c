package io.tidelog.broker.group;

import io.tidelog.broker.replica.TopicPartition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a shard's groups and offsets by replaying its {@code __consumer_offsets} partition in
 * offset order: the last record of each key wins, a tombstone deletes the key. A restored group
 * with members is Stable in its stored generation, and each member gets a fresh session timeout
 * to show up (as after a coordinator move in Kafka).
 *
 * <p>Runs before the shard serves anything, on the thread that then hands the shard to its
 * owner (the hand-off through the owner's task queue publishes the state).
 */
final class GroupLoader {

    private static final Logger LOG = LoggerFactory.getLogger(GroupLoader.class);

    private final GroupShard shard;
    private long records;
    private long skipped;

    GroupLoader(GroupShard shard) {
        this.shard = shard;
    }

    /** Replays the partition; returns the number of records read. */
    long load(OffsetsLog log) throws IOException {
        log.forEachRecord(shard.partition(), this::replay);
        finish();
        return records;
    }

    void replay(long offset, byte[] key, byte[] value) {
        records++;
        if (key == null) {
            skip(offset, "record without a key");
            return;
        }
        OffsetsRecordFormat.Key decoded;
        try {
            decoded = OffsetsRecordFormat.readKey(key);
        } catch (IllegalArgumentException e) {
            skip(offset, e.getMessage());
            return;
        }
        if (decoded == null) {
            skip(offset, "unknown key type");
            return;
        }
        try {
            if (decoded.type() == OffsetsRecordFormat.OFFSET_KEY_TYPE) {
                replayOffset(offset, decoded.group(), decoded.topicPartition(), value);
            } else {
                replayGroup(offset, decoded.group(), value);
            }
        } catch (IllegalArgumentException e) {
            skip(offset, e.getMessage());
        }
    }

    private void replayOffset(long offset, String groupId, TopicPartition tp, byte[] value) {
        if (value == null) {
            GroupMetadata group = shard.group(groupId);
            if (group != null) {
                group.offsets().remove(tp);
            }
            return;
        }
        OffsetAndMetadata committed = OffsetsRecordFormat.readOffsetValue(value);
        if (committed == null) {
            skip(offset, "unknown offset value version");
            return;
        }
        shard.getOrCreate(groupId).offsets().put(tp, committed);
    }

    private void replayGroup(long offset, String groupId, byte[] value) {
        if (value == null) {
            GroupMetadata group = shard.group(groupId);
            if (group != null) {
                // The group itself was removed (deleted or expired): what may follow is offsets only.
                group.clearMembers();
                group.restore(GroupState.EMPTY, 0, null, null, null, group.stateTimestampMs());
            }
            return;
        }
        OffsetsRecordFormat.StoredGroup stored = OffsetsRecordFormat.readGroupValue(value);
        if (stored == null) {
            skip(offset, "unknown group value version");
            return;
        }
        GroupMetadata group = shard.getOrCreate(groupId);
        group.clearMembers();
        for (OffsetsRecordFormat.StoredMember m : stored.members()) {
            MemberMetadata member = new MemberMetadata(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    m.rebalanceTimeoutMs(), m.sessionTimeoutMs(),
                    List.of(new GroupProtocol(stored.protocolName(), m.subscription())));
            member.setAssignment(m.assignment());
            group.add(member, stored.protocolType());
        }
        group.restore(stored.members().isEmpty() ? GroupState.EMPTY : GroupState.STABLE, stored.generation(),
                stored.protocolType(), stored.members().isEmpty() ? null : stored.protocolName(), stored.leader(),
                stored.stateTimestampMs());
    }

    /** Gives restored members a session to reappear; drops groups a tombstone emptied completely. */
    private void finish() {
        long now = shard.nowMs();
        for (GroupMetadata group : new ArrayList<>(shard.groups())) {
            for (MemberMetadata member : group.members()) {
                member.setHeartbeatDeadlineMs(now + member.sessionTimeoutMs());
            }
            if (group.isEmpty() && group.offsets().isEmpty() && group.protocolType() == null) {
                shard.removeGroup(group.groupId());
            }
        }
        if (skipped > 0) {
            LOG.warn("Skipped {} unreadable record(s) in __consumer_offsets partition {}", skipped, shard.partition());
        }
    }

    private void skip(long offset, String reason) {
        skipped++;
        LOG.warn("Skipping __consumer_offsets partition {} offset {}: {}", shard.partition(), offset, reason);
    }
}

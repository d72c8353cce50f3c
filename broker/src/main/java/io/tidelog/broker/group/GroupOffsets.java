package io.tidelog.broker.group;

import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed offsets of one shard's groups: OffsetCommit (appended to the log before it is
 * answered, then applied), OffsetFetch, and expiry of the offsets of empty groups. Runs on the
 * shard's owner thread, like {@link GroupShard}.
 */
final class GroupOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(GroupOffsets.class);
    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final GroupShard shard;
    private final GroupConfig config;
    private final ShardLog log;
    private final BiPredicate<String, Integer> partitionExists;

    GroupOffsets(GroupShard shard, GroupConfig config, ShardLog log, BiPredicate<String, Integer> partitionExists) {
        this.shard = shard;
        this.config = config;
        this.log = log;
        this.partitionExists = partitionExists;
    }

    // ------------------------------------------------------------------ OffsetCommit

    /**
     * Commits {@code offsets} (commit timestamps are set here). Members must be current
     * (generation and id); a standalone consumer (generation -1, no member id) may commit only
     * while the group has no members. {@code done} gets one error per partition, in input order.
     */
    void commit(String groupId, String memberId, String groupInstanceId, int generationId,
                Map<TopicPartition, OffsetAndMetadata> offsets, long nowWallMs,
                Consumer<Map<TopicPartition, Errors>> done) {
        GroupMetadata group = shard.group(groupId);
        Errors groupError;
        if (groupId == null || groupId.isEmpty()) {
            groupError = Errors.INVALID_GROUP_ID;
        } else if (group == null) {
            boolean standalone = generationId < 0 && memberId.isEmpty() && groupInstanceId == null;
            groupError = standalone ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        } else {
            groupError = validate(group, memberId, groupInstanceId, generationId);
        }
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        if (groupError != Errors.NONE) {
            offsets.keySet().forEach(tp -> results.put(tp, groupError));
            done.accept(results);
            return;
        }
        List<OffsetsRecord> records = new ArrayList<>(offsets.size());
        Map<TopicPartition, OffsetAndMetadata> accepted = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            TopicPartition tp = entry.getKey();
            Errors error = checkPartition(tp, entry.getValue());
            results.put(tp, error);
            if (error == Errors.NONE) {
                OffsetAndMetadata stamped = new OffsetAndMetadata(entry.getValue().offset(),
                        entry.getValue().leaderEpoch(), entry.getValue().metadata(), nowWallMs);
                accepted.put(tp, stamped);
                records.add(GroupRecords.offsetRecord(groupId, tp, stamped));
            }
        }
        if (records.isEmpty()) {
            done.accept(results);
            return;
        }
        GroupMetadata target = group != null ? group : shard.getOrCreate(groupId);
        target.commitStarted(accepted.keySet());
        log.append(records, appendError -> {
            target.commitFinished(accepted.keySet());
            Errors error = GroupRecords.commitError(appendError);
            if (error == Errors.NONE && !target.is(GroupState.DEAD)) {
                target.offsets().putAll(accepted);
            } else if (error != Errors.NONE) {
                LOG.warn("Offset commit of group {} failed: {}", groupId, appendError);
            }
            accepted.keySet().forEach(tp -> results.put(tp, error));
            done.accept(results);
        });
    }

    private Errors validate(GroupMetadata group, String memberId, String groupInstanceId, int generationId) {
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
            Errors error = GroupShard.checkMemberAndGeneration(group, memberId, groupInstanceId, generationId);
            if (error != Errors.NONE) {
                return error;
            }
            if (group.is(GroupState.COMPLETING_REBALANCE)) {
                return Errors.REBALANCE_IN_PROGRESS;
            }
            shard.scheduleHeartbeat(group.member(memberId));
            return Errors.NONE;
        }
        return group.is(GroupState.EMPTY) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    private Errors checkPartition(TopicPartition tp, OffsetAndMetadata offset) {
        if (!partitionExists.test(tp.topic(), tp.partition())) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (offset.metadata().getBytes(StandardCharsets.UTF_8).length > config.offsetMetadataMaxBytes()) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return Errors.NONE;
    }

    // ------------------------------------------------------------------ OffsetFetch

    /**
     * The group's committed offsets for {@code partitions}, or all of them when null. A partition
     * without a commit (or an unknown group) gets offset -1 and no error, as Kafka answers.
     */
    OffsetFetchResult fetch(String groupId, List<TopicPartition> partitions) {
        GroupMetadata group = shard.group(groupId);
        Map<TopicPartition, OffsetAndMetadata> committed = group == null ? Map.of() : group.offsets();
        List<TopicPartition> wanted = partitions;
        if (wanted == null) {
            wanted = new ArrayList<>(committed.keySet());
            wanted.sort(ORDER);
        }
        List<OffsetFetchResult.PartitionOffset> result = new ArrayList<>(wanted.size());
        for (TopicPartition tp : wanted) {
            OffsetAndMetadata offset = committed.get(tp);
            result.add(offset == null
                    ? new OffsetFetchResult.PartitionOffset(tp, -1L, -1, "", Errors.NONE)
                    : new OffsetFetchResult.PartitionOffset(tp, offset.offset(), offset.leaderEpoch(),
                            offset.metadata(), Errors.NONE));
        }
        return new OffsetFetchResult(Errors.NONE, result);
    }

    // ------------------------------------------------------------------ deleted topics

    /** Forgets every group's offsets of {@code deletedTopics} (writing tombstones), as Kafka does. */
    void removeTopics(Set<String> deletedTopics) {
        List<OffsetsRecord> tombstones = new ArrayList<>();
        for (GroupMetadata group : shard.groups()) {
            Iterator<TopicPartition> committed = group.offsets().keySet().iterator();
            while (committed.hasNext()) {
                TopicPartition tp = committed.next();
                if (deletedTopics.contains(tp.topic())) {
                    committed.remove();
                    tombstones.add(GroupRecords.offsetTombstone(group.groupId(), tp));
                }
            }
        }
        if (tombstones.isEmpty()) {
            return;
        }
        LOG.info("Removed {} committed offset(s) of deleted topic(s) {} from __consumer_offsets partition {}",
                tombstones.size(), deletedTopics, shard.partition());
        log.appendChunked(tombstones, error -> {
            if (error != Errors.NONE) {
                LOG.warn("Writing tombstones to __consumer_offsets partition {} failed: {}", shard.partition(), error);
            }
        });
    }

    // ------------------------------------------------------------------ expiry

    /**
     * Removes offsets of empty groups older than {@code offsets.retention.minutes}: for a group that
     * had members, counted from when it became empty; for an offsets-only group, per commit. A group
     * left with no offsets and no members is deleted. Tombstones go to the log.
     */
    void expire(long nowWallMs) {
        List<OffsetsRecord> tombstones = new ArrayList<>();
        int expiredOffsets = 0;
        int deletedGroups = 0;
        for (GroupMetadata group : new ArrayList<>(shard.groups())) {
            if (!group.is(GroupState.EMPTY) || !group.pendingMembers().isEmpty() || group.hasPendingCommits()) {
                continue;
            }
            List<TopicPartition> expired = expiredOffsets(group, nowWallMs);
            for (TopicPartition tp : expired) {
                group.offsets().remove(tp);
                tombstones.add(GroupRecords.offsetTombstone(group.groupId(), tp));
            }
            expiredOffsets += expired.size();
            if (group.offsets().isEmpty()) {
                group.transitionTo(GroupState.DEAD, nowWallMs);
                shard.removeGroup(group.groupId());
                tombstones.add(GroupRecords.groupTombstone(group.groupId()));
                deletedGroups++;
            }
        }
        if (tombstones.isEmpty()) {
            return;
        }
        LOG.info("Expired {} offset(s) and removed {} empty group(s) of __consumer_offsets partition {}",
                expiredOffsets, deletedGroups, shard.partition());
        log.appendChunked(tombstones, error -> {
            if (error != Errors.NONE) {
                LOG.warn("Writing tombstones to __consumer_offsets partition {} failed: {}", shard.partition(), error);
            }
        });
    }

    private List<TopicPartition> expiredOffsets(GroupMetadata group, long nowWallMs) {
        long retention = config.offsetsRetentionMs();
        List<TopicPartition> expired = new ArrayList<>();
        if (group.protocolType() != null) {
            if (group.stateTimestampMs() + retention <= nowWallMs) {
                expired.addAll(group.offsets().keySet());
            }
            return expired;
        }
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : group.offsets().entrySet()) {
            if (entry.getValue().commitTimestampMs() + retention <= nowWallMs) {
                expired.add(entry.getKey());
            }
        }
        return expired;
    }
}

package io.tidelog.broker.group;

import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.group.ConsumerProtocol;
import io.tidelog.protocol.message.ConsumerProtocolSubscription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator removes from one shard: whole groups (DeleteGroups) and single committed
 * offsets (OffsetDelete). Runs on the shard's owner thread, like {@link GroupShard}.
 *
 * <p>Invariants: a removal is answered only after its tombstones are in the offsets log, so a
 * restart never brings removed offsets back. A commit still in flight when its group is deleted
 * landed in the log before the deletion's tombstones (one partition, one owner thread, appends in
 * call order), so its partitions are tombstoned too and the commit is not applied in memory
 * (its group is Dead).
 */
final class GroupDeletions {

    private static final Logger LOG = LoggerFactory.getLogger(GroupDeletions.class);

    private final GroupShard shard;
    private final ShardLog log;

    GroupDeletions(GroupShard shard, ShardLog log) {
        this.shard = shard;
        this.log = log;
    }

    /**
     * Deletes an Empty group with its committed offsets. Unknown (or already Dead) groups are
     * GROUP_ID_NOT_FOUND, groups with members NON_EMPTY_GROUP, as in Kafka.
     */
    void deleteGroup(String groupId, long nowWallMs, Consumer<Errors> done) {
        if (groupId.isEmpty()) {
            done.accept(Errors.INVALID_GROUP_ID);
            return;
        }
        GroupMetadata group = shard.group(groupId);
        if (group == null || group.is(GroupState.DEAD)) {
            done.accept(Errors.GROUP_ID_NOT_FOUND);
            return;
        }
        if (!group.is(GroupState.EMPTY)) {
            done.accept(Errors.NON_EMPTY_GROUP);
            return;
        }
        Set<TopicPartition> partitions = new LinkedHashSet<>(group.offsets().keySet());
        partitions.addAll(group.pendingCommitPartitions());
        List<OffsetsRecord> tombstones = new ArrayList<>(partitions.size() + 1);
        for (TopicPartition tp : partitions) {
            tombstones.add(GroupRecords.offsetTombstone(groupId, tp));
        }
        tombstones.add(GroupRecords.groupTombstone(groupId));
        group.offsets().clear();
        group.transitionTo(GroupState.DEAD, nowWallMs);
        shard.removeGroup(groupId);
        log.appendChunked(tombstones, appendError -> {
            Errors error = GroupRecords.storeError(appendError);
            if (error == Errors.NONE) {
                LOG.info("Deleted group {} and its {} committed offset(s)", groupId, partitions.size());
            } else {
                LOG.warn("Deleting group {}: writing its tombstones failed: {}", groupId, appendError);
            }
            done.accept(error);
        });
    }

    /**
     * Deletes committed offsets of {@code partitions}. The group must exist; a group with members
     * must use the consumer protocol (else NON_EMPTY_GROUP), and a partition of a topic its
     * members subscribe to is refused with GROUP_SUBSCRIBED_TO_TOPIC. Partitions without a
     * committed offset succeed (nothing to delete).
     */
    void deleteOffsets(String groupId, List<TopicPartition> partitions, Consumer<OffsetDeleteResult> done) {
        GroupMetadata group = groupId.isEmpty() ? null : shard.group(groupId);
        if (groupId.isEmpty()) {
            done.accept(new OffsetDeleteResult(Errors.INVALID_GROUP_ID, Map.of()));
            return;
        }
        if (group == null || group.is(GroupState.DEAD)) {
            done.accept(new OffsetDeleteResult(Errors.GROUP_ID_NOT_FOUND, Map.of()));
            return;
        }
        boolean empty = group.is(GroupState.EMPTY);
        if (!empty && !ConsumerProtocol.PROTOCOL_TYPE.equals(group.protocolType())) {
            done.accept(new OffsetDeleteResult(Errors.NON_EMPTY_GROUP, Map.of()));
            return;
        }
        Set<String> subscribed = empty ? Set.of() : subscribedTopics(group);
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        List<OffsetsRecord> tombstones = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (subscribed == null || subscribed.contains(tp.topic())) {
                results.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
            } else {
                results.put(tp, Errors.NONE);
                if (group.offsets().remove(tp) != null || group.pendingCommitPartitions().contains(tp)) {
                    tombstones.add(GroupRecords.offsetTombstone(groupId, tp));
                }
            }
        }
        if (tombstones.isEmpty()) {
            done.accept(new OffsetDeleteResult(Errors.NONE, results));
            return;
        }
        log.appendChunked(tombstones, appendError -> {
            Errors error = GroupRecords.storeError(appendError);
            if (error != Errors.NONE) {
                LOG.warn("Deleting offsets of group {}: writing tombstones failed: {}", groupId, appendError);
                results.replaceAll((tp, e) -> e == Errors.NONE ? error : e);
            }
            done.accept(new OffsetDeleteResult(Errors.NONE, results));
        });
    }

    /** Topics any member subscribes to, or null when a subscription cannot be read (treat all as subscribed). */
    private static Set<String> subscribedTopics(GroupMetadata group) {
        Set<String> topics = new HashSet<>();
        for (MemberMetadata member : group.members()) {
            byte[] metadata = member.metadata(group.protocolName());
            if (metadata == null) {
                return null;
            }
            try {
                ConsumerProtocolSubscription subscription = ConsumerProtocol.readSubscription(metadata);
                topics.addAll(subscription.topics());
            } catch (ProtocolDecodeException | IllegalArgumentException e) {
                return null;
            }
        }
        return topics;
    }
}

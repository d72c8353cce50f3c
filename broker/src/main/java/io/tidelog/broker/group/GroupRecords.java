package io.tidelog.broker.group;

import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import java.util.ArrayList;
import java.util.List;

/** Turns groups and offsets into {@code __consumer_offsets} records, and append errors into client errors. */
final class GroupRecords {

    private GroupRecords() {
    }

    static OffsetsRecord offsetRecord(String groupId, TopicPartition tp, OffsetAndMetadata offset) {
        return new OffsetsRecord(OffsetsRecordFormat.offsetKey(groupId, tp), OffsetsRecordFormat.offsetValue(offset));
    }

    static OffsetsRecord offsetTombstone(String groupId, TopicPartition tp) {
        return new OffsetsRecord(OffsetsRecordFormat.offsetKey(groupId, tp), null);
    }

    static OffsetsRecord groupTombstone(String groupId) {
        return new OffsetsRecord(OffsetsRecordFormat.groupKey(groupId), null);
    }

    /** The group's current generation with each member's subscription and assignment. */
    static OffsetsRecord groupRecord(GroupMetadata group) {
        List<OffsetsRecordFormat.StoredMember> members = new ArrayList<>(group.size());
        for (MemberMetadata m : group.members()) {
            members.add(new OffsetsRecordFormat.StoredMember(m.memberId(), m.groupInstanceId(), m.clientId(),
                    m.clientHost(), m.rebalanceTimeoutMs(), m.sessionTimeoutMs(), m.metadata(group.protocolName()),
                    m.assignment()));
        }
        OffsetsRecordFormat.StoredGroup stored = new OffsetsRecordFormat.StoredGroup(group.protocolType(),
                group.generationId(), group.protocolName(), group.leaderId(), group.stateTimestampMs(), members);
        return new OffsetsRecord(OffsetsRecordFormat.groupKey(group.groupId()), OffsetsRecordFormat.groupValue(stored));
    }

    /** Kafka's mapping of a failed group write to what the member is told. */
    static Errors storeError(Errors appendError) {
        return switch (appendError) {
            case NONE -> Errors.NONE;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                    Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            default -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }

    /** Kafka's mapping of a failed offset commit write to the per-partition error. */
    static Errors commitError(Errors appendError) {
        return switch (appendError) {
            case NONE -> Errors.NONE;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                    Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            default -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }
}

package io.tidelog.client.admin;

import io.tidelog.client.common.TopicPartition;
import java.util.List;

/**
 * One member of a consumer group: ids, where it connects from, and the partitions the leader
 * assigned it (empty while a rebalance is in progress or for a non-consumer group).
 */
public record MemberDescription(String memberId, String groupInstanceId, String clientId, String host,
                                List<TopicPartition> assignment) {

    public MemberDescription {
        assignment = List.copyOf(assignment);
    }
}

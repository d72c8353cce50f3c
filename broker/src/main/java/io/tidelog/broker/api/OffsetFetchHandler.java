package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.group.OffsetFetchResult;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.OffsetFetchRequest;
import io.tidelog.protocol.message.OffsetFetchResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OffsetFetch v1–9. Partitions without a commit (and unknown groups) answer offset -1, no error.
 * v2+ null topics = every committed partition; v8+ carries several groups, answered in order.
 * There are no transactions, so requireStable never waits.
 */
final class OffsetFetchHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    OffsetFetchHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        short version = context.apiVersion();
        OffsetFetchRequest request = OffsetFetchRequest.read(body, version);
        if (version < 8) {
            List<TopicPartition> wanted = request.topics() == null ? null : partitionsOf(request.topics());
            coordinator.fetchOffsets(request.groupId(), wanted, result -> context.respond(singleGroup(result, version)));
            return;
        }
        List<OffsetFetchRequest.OffsetFetchRequestGroup> groups = request.groups();
        OffsetFetchResponse.OffsetFetchResponseGroup[] answers = new OffsetFetchResponse.OffsetFetchResponseGroup[groups.size()];
        if (groups.isEmpty()) {
            context.respond(new OffsetFetchResponse().setGroups(new ArrayList<>()));
            return;
        }
        AtomicInteger remaining = new AtomicInteger(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            int index = i;
            OffsetFetchRequest.OffsetFetchRequestGroup group = groups.get(i);
            List<TopicPartition> wanted = null;
            if (group.topics() != null) {
                wanted = new ArrayList<>();
                for (OffsetFetchRequest.OffsetFetchRequestGroup.OffsetFetchRequestTopics topic : group.topics()) {
                    for (int partition : topic.partitionIndexes()) {
                        wanted.add(new TopicPartition(topic.name(), partition));
                    }
                }
            }
            coordinator.fetchOffsets(group.groupId(), wanted, result -> {
                answers[index] = groupAnswer(group.groupId(), result);
                if (remaining.decrementAndGet() == 0) {
                    context.respond(new OffsetFetchResponse().setGroups(new ArrayList<>(List.of(answers))));
                }
            });
        }
    }

    private static List<TopicPartition> partitionsOf(List<OffsetFetchRequest.OffsetFetchRequestTopic> topics) {
        List<TopicPartition> wanted = new ArrayList<>();
        for (OffsetFetchRequest.OffsetFetchRequestTopic topic : topics) {
            for (int partition : topic.partitionIndexes()) {
                wanted.add(new TopicPartition(topic.name(), partition));
            }
        }
        return wanted;
    }

    private static OffsetFetchResponse singleGroup(OffsetFetchResult result, short version) {
        Map<String, List<OffsetFetchResponse.OffsetFetchResponseTopic.OffsetFetchResponsePartition>> byTopic =
                new LinkedHashMap<>();
        for (OffsetFetchResult.PartitionOffset p : result.partitions()) {
            byTopic.computeIfAbsent(p.topicPartition().topic(), t -> new ArrayList<>()).add(
                    new OffsetFetchResponse.OffsetFetchResponseTopic.OffsetFetchResponsePartition()
                            .setPartitionIndex(p.topicPartition().partition()).setCommittedOffset(p.offset())
                            .setCommittedLeaderEpoch(version >= 5 ? p.leaderEpoch() : -1)
                            .setMetadata(p.metadata()).setErrorCode(p.error().code()));
        }
        List<OffsetFetchResponse.OffsetFetchResponseTopic> topics = new ArrayList<>(byTopic.size());
        byTopic.forEach((name, partitions) -> topics.add(new OffsetFetchResponse.OffsetFetchResponseTopic()
                .setName(name).setPartitions(partitions)));
        OffsetFetchResponse response = new OffsetFetchResponse().setTopics(topics);
        if (version >= 2) {
            response.setErrorCode(result.error().code());
        }
        return response;
    }

    private static OffsetFetchResponse.OffsetFetchResponseGroup groupAnswer(String groupId, OffsetFetchResult result) {
        Map<String, List<OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics.OffsetFetchResponsePartitions>>
                byTopic = new LinkedHashMap<>();
        for (OffsetFetchResult.PartitionOffset p : result.partitions()) {
            byTopic.computeIfAbsent(p.topicPartition().topic(), t -> new ArrayList<>()).add(
                    new OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics.OffsetFetchResponsePartitions()
                            .setPartitionIndex(p.topicPartition().partition()).setCommittedOffset(p.offset())
                            .setCommittedLeaderEpoch(p.leaderEpoch()).setMetadata(p.metadata())
                            .setErrorCode(p.error().code()));
        }
        List<OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics> topics = new ArrayList<>();
        byTopic.forEach((name, partitions) -> topics.add(
                new OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics().setName(name)
                        .setPartitions(partitions)));
        Errors error = result.error();
        return new OffsetFetchResponse.OffsetFetchResponseGroup().setGroupId(groupId).setTopics(topics)
                .setErrorCode(error.code());
    }
}

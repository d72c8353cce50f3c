package io.tidelog.client.admin;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.group.ConsumerProtocol;
import io.tidelog.protocol.message.ConsumerProtocolAssignment;
import io.tidelog.protocol.message.DeleteGroupsRequest;
import io.tidelog.protocol.message.DeleteGroupsResponse;
import io.tidelog.protocol.message.DescribeGroupsRequest;
import io.tidelog.protocol.message.DescribeGroupsResponse;
import io.tidelog.protocol.message.DescribeGroupsResponse.DescribedGroup;
import io.tidelog.protocol.message.DescribeGroupsResponse.DescribedGroup.DescribedGroupMember;
import io.tidelog.protocol.message.FindCoordinatorRequest;
import io.tidelog.protocol.message.FindCoordinatorResponse;
import io.tidelog.protocol.message.ListGroupsRequest;
import io.tidelog.protocol.message.ListGroupsResponse;
import io.tidelog.protocol.message.MetadataResponse;
import io.tidelog.protocol.message.OffsetCommitRequest;
import io.tidelog.protocol.message.OffsetCommitRequest.OffsetCommitRequestTopic;
import io.tidelog.protocol.message.OffsetCommitRequest.OffsetCommitRequestTopic.OffsetCommitRequestPartition;
import io.tidelog.protocol.message.OffsetCommitResponse;
import io.tidelog.protocol.message.OffsetFetchRequest;
import io.tidelog.protocol.message.OffsetFetchResponse;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consumer-group operations. Each group lives on one coordinator broker (FindCoordinator); every
 * request about a group goes there. ListGroups asks every broker, since each knows only its own.
 */
final class GroupOperations {

    private static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);
    private static final String DEAD = "Dead";

    private final AdminChannel channel;
    private final TopicOperations topics;

    GroupOperations(AdminChannel channel, TopicOperations topics) {
        this.channel = channel;
        this.topics = topics;
    }

    /** A group's coordinator: its node id and address. */
    private record Coordinator(int nodeId, InetSocketAddress address) {
    }

    List<GroupListing> list(long deadlineMs) {
        MetadataResponse metadata = topics.metadata(List.of(), deadlineMs);
        List<GroupListing> groups = new ArrayList<>();
        for (Map.Entry<Integer, InetSocketAddress> broker : TopicOperations.brokers(metadata).entrySet()) {
            ListGroupsResponse response = (ListGroupsResponse) channel.call(broker.getKey(), broker.getValue(),
                    ApiKey.LIST_GROUPS, version -> new ListGroupsRequest(), deadlineMs);
            Errors error = Errors.forCode(response.errorCode());
            if (error != Errors.NONE) {
                throw new AdminException(error, "cannot list the groups of broker " + broker.getKey() + ": " + error);
            }
            for (ListGroupsResponse.ListedGroup group : response.groups()) {
                groups.add(new GroupListing(group.groupId(), group.protocolType(), group.groupState()));
            }
        }
        groups.sort(Comparator.comparing(GroupListing::groupId));
        return groups;
    }

    GroupDescription describe(String groupId, long deadlineMs) {
        Coordinator coordinator = coordinator(groupId, deadlineMs);
        DescribeGroupsResponse response = (DescribeGroupsResponse) call(coordinator, ApiKey.DESCRIBE_GROUPS,
                version -> new DescribeGroupsRequest().setGroups(new ArrayList<>(List.of(groupId))), deadlineMs);
        if (response.groups().isEmpty()) {
            throw new AdminException(Errors.UNKNOWN_SERVER_ERROR, "the coordinator of group '" + groupId
                    + "' answered DescribeGroups without the group");
        }
        DescribedGroup group = response.groups().get(0);
        Errors error = Errors.forCode(group.errorCode());
        if (error == Errors.GROUP_ID_NOT_FOUND || (error == Errors.NONE && DEAD.equals(group.groupState()))) {
            throw new GroupNotFoundException(groupId);
        }
        checkGroupError(groupId, error, "describe");
        List<MemberDescription> members = new ArrayList<>();
        for (DescribedGroupMember member : group.members()) {
            members.add(new MemberDescription(member.memberId(), member.groupInstanceId(), member.clientId(),
                    member.clientHost(), assignment(group.protocolType(), member.memberAssignment())));
        }
        return new GroupDescription(groupId, group.groupState(), group.protocolType(), group.protocolData(),
                members, coordinator.nodeId());
    }

    /** Committed offsets of the group, partitions in topic then partition order. */
    Map<TopicPartition, Long> committedOffsets(String groupId, long deadlineMs) {
        Coordinator coordinator = coordinator(groupId, deadlineMs);
        OffsetFetchResponse response = (OffsetFetchResponse) call(coordinator, ApiKey.OFFSET_FETCH, version -> {
            OffsetFetchRequest request = new OffsetFetchRequest();
            if (version >= 8) {
                request.groups().add(new OffsetFetchRequest.OffsetFetchRequestGroup().setGroupId(groupId)
                        .setTopics(null));
            } else {
                request.setGroupId(groupId).setTopics(null);
            }
            return request;
        }, deadlineMs);
        List<Map.Entry<TopicPartition, Long>> offsets = new ArrayList<>();
        if (!response.groups().isEmpty()) {
            OffsetFetchResponse.OffsetFetchResponseGroup group = response.groups().get(0);
            checkGroupError(groupId, Errors.forCode(group.errorCode()), "fetch the offsets of");
            for (OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics topic : group.topics()) {
                for (var p : topic.partitions()) {
                    addCommitted(offsets, groupId, topic.name(), p.partitionIndex(), p.committedOffset(), p.errorCode());
                }
            }
        } else {
            checkGroupError(groupId, Errors.forCode(response.errorCode()), "fetch the offsets of");
            for (OffsetFetchResponse.OffsetFetchResponseTopic topic : response.topics()) {
                for (var p : topic.partitions()) {
                    addCommitted(offsets, groupId, topic.name(), p.partitionIndex(), p.committedOffset(), p.errorCode());
                }
            }
        }
        offsets.sort(Map.Entry.comparingByKey(PARTITION_ORDER));
        Map<TopicPartition, Long> result = new LinkedHashMap<>();
        offsets.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** Commits {@code offsets} as an admin (generation -1, no member); refuses while the group has members. */
    void resetOffsets(String groupId, Map<TopicPartition, Long> offsets, long deadlineMs) {
        try {
            GroupDescription group = describe(groupId, deadlineMs);
            if (!group.isEmpty()) {
                throw new GroupNotEmptyException(groupId, "has " + group.members().size() + " active member"
                        + (group.members().size() == 1 ? "" : "s") + " (state " + group.state() + ")");
            }
        } catch (GroupNotFoundException e) {
            // a group that does not exist yet may be given offsets: it starts from them
        }
        Coordinator coordinator = coordinator(groupId, deadlineMs);
        OffsetCommitResponse response = (OffsetCommitResponse) call(coordinator, ApiKey.OFFSET_COMMIT, version -> {
            Map<String, OffsetCommitRequestTopic> byTopic = new LinkedHashMap<>();
            offsets.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(),
                            name -> new OffsetCommitRequestTopic().setName(name)).partitions()
                    .add(new OffsetCommitRequestPartition().setPartitionIndex(tp.partition())
                            .setCommittedOffset(offset).setCommittedMetadata("")));
            return new OffsetCommitRequest().setGroupId(groupId).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                    .setTopics(new ArrayList<>(byTopic.values()));
        }, deadlineMs);
        for (OffsetCommitResponse.OffsetCommitResponseTopic topic : response.topics()) {
            for (OffsetCommitResponse.OffsetCommitResponseTopic.OffsetCommitResponsePartition p : topic.partitions()) {
                Errors error = Errors.forCode(p.errorCode());
                if (error == Errors.UNKNOWN_MEMBER_ID || error == Errors.ILLEGAL_GENERATION
                        || error == Errors.REBALANCE_IN_PROGRESS) {
                    throw new GroupNotEmptyException(groupId, "got members while its offsets were being reset");
                }
                if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                    throw new AdminException(error, "cannot commit an offset for " + topic.name() + "-"
                            + p.partitionIndex() + ": no such topic or partition");
                }
                if (error != Errors.NONE) {
                    throw new AdminException(error, "cannot commit an offset for " + topic.name() + "-"
                            + p.partitionIndex() + " in group '" + groupId + "': " + error);
                }
            }
        }
    }

    void delete(String groupId, long deadlineMs) {
        Coordinator coordinator = coordinator(groupId, deadlineMs);
        DeleteGroupsResponse response = (DeleteGroupsResponse) call(coordinator, ApiKey.DELETE_GROUPS,
                version -> new DeleteGroupsRequest().setGroupsNames(new ArrayList<>(List.of(groupId))), deadlineMs);
        for (DeleteGroupsResponse.DeletableGroupResult result : response.results()) {
            Errors error = Errors.forCode(result.errorCode());
            if (error == Errors.NON_EMPTY_GROUP) {
                throw new GroupNotEmptyException(groupId, "has active members and cannot be deleted");
            }
            if (error == Errors.GROUP_ID_NOT_FOUND) {
                throw new GroupNotFoundException(groupId);
            }
            checkGroupError(groupId, error, "delete");
        }
    }

    private Coordinator coordinator(String groupId, long deadlineMs) {
        FindCoordinatorResponse response = (FindCoordinatorResponse) channel.callAny(ApiKey.FIND_COORDINATOR,
                version -> version >= 4
                        ? new FindCoordinatorRequest().setKeyType((byte) 0).setCoordinatorKeys(new ArrayList<>(List.of(groupId)))
                        : new FindCoordinatorRequest().setKey(groupId).setKeyType((byte) 0), deadlineMs);
        if (!response.coordinators().isEmpty()) {
            FindCoordinatorResponse.Coordinator c = response.coordinators().get(0);
            checkCoordinator(groupId, Errors.forCode(c.errorCode()), c.errorMessage());
            return new Coordinator(c.nodeId(), InetSocketAddress.createUnresolved(c.host(), c.port()));
        }
        checkCoordinator(groupId, Errors.forCode(response.errorCode()), response.errorMessage());
        return new Coordinator(response.nodeId(), InetSocketAddress.createUnresolved(response.host(), response.port()));
    }

    private io.tidelog.protocol.message.ApiMessage call(Coordinator coordinator, ApiKey api,
                                                        AdminChannel.RequestBuilder request, long deadlineMs) {
        return channel.call(coordinator.nodeId(), coordinator.address(), api, request, deadlineMs);
    }

    private static void checkCoordinator(String groupId, Errors error, String message) {
        if (error != Errors.NONE) {
            throw new AdminException(error, "cannot find the coordinator of group '" + groupId + "': "
                    + TopicOperations.explain(error, message));
        }
    }

    private static void checkGroupError(String groupId, Errors error, String verb) {
        if (error == Errors.INVALID_GROUP_ID) {
            throw new AdminException(error, "'" + groupId + "' is not a valid group id");
        }
        if (error != Errors.NONE) {
            throw new AdminException(error, "cannot " + verb + " group '" + groupId + "': " + error);
        }
    }

    private static void addCommitted(List<Map.Entry<TopicPartition, Long>> offsets, String groupId, String topic,
                                     int partition, long committedOffset, short errorCode) {
        Errors error = Errors.forCode(errorCode);
        if (error != Errors.NONE) {
            throw new AdminException(error, "cannot fetch the offset of group '" + groupId + "' for " + topic + "-"
                    + partition + ": " + error);
        }
        if (committedOffset >= 0) {
            offsets.add(Map.entry(new TopicPartition(topic, partition), committedOffset));
        }
    }

    /** The partitions a consumer-protocol assignment names; empty for other protocols or no assignment yet. */
    private static List<TopicPartition> assignment(String protocolType, byte[] bytes) {
        if (!ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType) || bytes == null
                || bytes.length < ConsumerProtocol.VERSION_BYTES) {
            return List.of();
        }
        try {
            ConsumerProtocolAssignment assignment = ConsumerProtocol.readAssignment(bytes);
            List<TopicPartition> partitions = new ArrayList<>();
            for (ConsumerProtocolAssignment.TopicPartition tp : assignment.assignedPartitions()) {
                for (int partition : tp.partitions()) {
                    partitions.add(new TopicPartition(tp.topic(), partition));
                }
            }
            partitions.sort(PARTITION_ORDER);
            return partitions;
        } catch (ProtocolDecodeException e) {
            return List.of();
        }
    }
}

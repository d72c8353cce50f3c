package io.tidelog.client.admin;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.CreatePartitionsRequest;
import io.tidelog.protocol.message.CreatePartitionsResponse;
import io.tidelog.protocol.message.CreateTopicsRequest;
import io.tidelog.protocol.message.CreateTopicsRequest.CreatableTopic;
import io.tidelog.protocol.message.CreateTopicsRequest.CreatableTopic.CreatableTopicConfig;
import io.tidelog.protocol.message.CreateTopicsResponse;
import io.tidelog.protocol.message.DeleteTopicsRequest;
import io.tidelog.protocol.message.DeleteTopicsResponse;
import io.tidelog.protocol.message.ListOffsetsRequest;
import io.tidelog.protocol.message.ListOffsetsRequest.ListOffsetsTopic;
import io.tidelog.protocol.message.ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition;
import io.tidelog.protocol.message.ListOffsetsResponse;
import io.tidelog.protocol.message.MetadataRequest;
import io.tidelog.protocol.message.MetadataResponse;
import io.tidelog.protocol.message.MetadataResponse.MetadataResponseTopic;
import io.tidelog.protocol.message.MetadataResponse.MetadataResponseTopic.MetadataResponsePartition;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Topic operations: CreateTopics, CreatePartitions, DeleteTopics, Metadata and ListOffsets (the last sent to each
 * partition's leader, whose address Metadata gives).
 */
final class TopicOperations {

    /** ListOffsets "timestamp" asking for the log start offset. */
    static final long EARLIEST = -2L;
    /** ListOffsets "timestamp" asking for the high-water mark. */
    static final long LATEST = -1L;

    private final AdminChannel channel;

    TopicOperations(AdminChannel channel) {
        this.channel = channel;
    }

    void create(Collection<NewTopic> topics, long deadlineMs) {
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadlineMs - channel.now()));
        CreateTopicsResponse response = (CreateTopicsResponse) channel.callAny(ApiKey.CREATE_TOPICS, version -> {
            CreateTopicsRequest request = new CreateTopicsRequest().setTimeoutMs(timeoutMs);
            for (NewTopic topic : topics) {
                CreatableTopic creatable = new CreatableTopic().setName(topic.name())
                        .setNumPartitions(topic.partitions()).setReplicationFactor(topic.replicationFactor());
                topic.configs().forEach((key, value) ->
                        creatable.configs().add(new CreatableTopicConfig().setName(key).setValue(value)));
                request.topics().add(creatable);
            }
            return request;
        }, deadlineMs);
        AdminException first = null;
        List<String> failures = new ArrayList<>();
        for (CreateTopicsResponse.CreatableTopicResult result : response.topics()) {
            Errors error = Errors.forCode(result.errorCode());
            if (error == Errors.NONE) {
                continue;
            }
            AdminException failure = error == Errors.TOPIC_ALREADY_EXISTS ? new TopicExistsException(result.name())
                    : new AdminException(error, "cannot create topic '" + result.name() + "': "
                            + explain(error, result.errorMessage()));
            failures.add(failure.getMessage());
            first = first == null ? failure : first;
        }
        if (failures.size() == 1) {
            throw first;
        }
        if (first != null) {
            throw new AdminException(first.error(), String.join("; ", failures), first);
        }
    }

    void delete(Collection<String> topics, long deadlineMs) {
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadlineMs - channel.now()));
        DeleteTopicsResponse response = (DeleteTopicsResponse) channel.callAny(ApiKey.DELETE_TOPICS, version -> {
            DeleteTopicsRequest request = new DeleteTopicsRequest().setTimeoutMs(timeoutMs);
            for (String topic : topics) {
                if (version >= 6) {
                    request.topics().add(new DeleteTopicsRequest.DeleteTopicState().setName(topic));
                } else {
                    request.topicNames().add(topic);
                }
            }
            return request;
        }, deadlineMs);
        for (DeleteTopicsResponse.DeletableTopicResult result : response.responses()) {
            Errors error = Errors.forCode(result.errorCode());
            if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                throw new UnknownTopicException(result.name());
            }
            if (error != Errors.NONE) {
                throw new AdminException(error, "cannot delete topic '" + result.name() + "': "
                        + explain(error, result.errorMessage()));
            }
        }
    }

    void increasePartitions(String topic, int totalCount, long deadlineMs) {
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadlineMs - channel.now()));
        CreatePartitionsResponse response = (CreatePartitionsResponse) channel.callAny(ApiKey.CREATE_PARTITIONS,
                version -> {
                    CreatePartitionsRequest request = new CreatePartitionsRequest().setTimeoutMs(timeoutMs);
                    request.topics().add(new CreatePartitionsRequest.CreatePartitionsTopic().setName(topic)
                            .setCount(totalCount).setAssignments(null));
                    return request;
                }, deadlineMs);
        for (CreatePartitionsResponse.CreatePartitionsTopicResult result : response.results()) {
            Errors error = Errors.forCode(result.errorCode());
            if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                throw new UnknownTopicException(result.name());
            }
            if (error != Errors.NONE) {
                throw new AdminException(error, "cannot change the partition count of topic '" + result.name()
                        + "': " + explain(error, result.errorMessage()));
            }
        }
    }

    SortedSet<String> list(boolean includeInternal, long deadlineMs) {
        MetadataResponse metadata = metadata(null, deadlineMs);
        SortedSet<String> names = new TreeSet<>();
        for (MetadataResponseTopic topic : metadata.topics()) {
            if (Errors.forCode(topic.errorCode()) == Errors.NONE && (includeInternal || !topic.isInternal())) {
                names.add(topic.name());
            }
        }
        return names;
    }

    Map<String, TopicDescription> describe(Collection<String> topics, long deadlineMs) {
        MetadataResponse metadata = metadata(topics, deadlineMs);
        Map<String, MetadataResponseTopic> byName = new HashMap<>();
        for (MetadataResponseTopic topic : metadata.topics()) {
            checkTopic(topic);
            byName.put(topic.name(), topic);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (MetadataResponseTopic topic : byName.values()) {
            for (MetadataResponsePartition partition : topic.partitions()) {
                partitions.add(new TopicPartition(topic.name(), partition.partitionIndex()));
            }
        }
        Map<TopicPartition, Long> starts = offsets(metadata, partitions, EARLIEST, deadlineMs);
        Map<TopicPartition, Long> ends = offsets(metadata, partitions, LATEST, deadlineMs);
        Map<String, TopicDescription> result = new LinkedHashMap<>();
        for (String name : topics) {
            MetadataResponseTopic topic = byName.get(name);
            if (topic == null) {
                throw new UnknownTopicException(name);
            }
            List<PartitionDescription> described = new ArrayList<>();
            for (MetadataResponsePartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(name, p.partitionIndex());
                described.add(new PartitionDescription(p.partitionIndex(), p.leaderId(), p.leaderEpoch(),
                        p.replicaNodes(), p.isrNodes(), starts.getOrDefault(tp, -1L), ends.getOrDefault(tp, -1L)));
            }
            described.sort(Comparator.comparingInt(PartitionDescription::partition));
            result.put(name, new TopicDescription(name, topic.topicId(), topic.isInternal(), described));
        }
        return result;
    }

    /**
     * The offset for {@code timestamp} ({@link #EARLIEST}, {@link #LATEST} or a time in ms) of each
     * partition; -1 for a timestamp after every record.
     */
    Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, long timestamp, long deadlineMs) {
        List<String> topics = partitions.stream().map(TopicPartition::topic).distinct().toList();
        MetadataResponse metadata = metadata(topics, deadlineMs);
        Map<String, Integer> partitionCounts = new HashMap<>();
        for (MetadataResponseTopic topic : metadata.topics()) {
            checkTopic(topic);
            partitionCounts.put(topic.name(), topic.partitions().size());
        }
        for (TopicPartition tp : partitions) {
            int count = partitionCounts.getOrDefault(tp.topic(), 0);
            if (tp.partition() < 0 || tp.partition() >= count) {
                throw new AdminException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition " + tp.partition()
                        + " of topic '" + tp.topic() + "' does not exist (the topic has " + count + " partition"
                        + (count == 1 ? "" : "s") + ")");
            }
        }
        Map<TopicPartition, Long> offsets = offsets(metadata, partitions, timestamp, deadlineMs);
        for (TopicPartition tp : partitions) {
            if (!offsets.containsKey(tp)) {
                throw new AdminException(Errors.LEADER_NOT_AVAILABLE, "partition " + tp + " has no leader to ask");
            }
        }
        return offsets;
    }

    MetadataResponse metadata(Collection<String> topics, long deadlineMs) {
        return (MetadataResponse) channel.callAny(ApiKey.METADATA, version -> {
            MetadataRequest request = new MetadataRequest().setAllowAutoTopicCreation(false);
            if (topics == null) {
                request.setTopics(null);
            } else {
                List<MetadataRequest.MetadataRequestTopic> wanted = new ArrayList<>();
                for (String topic : topics) {
                    wanted.add(new MetadataRequest.MetadataRequestTopic().setName(topic));
                }
                request.setTopics(wanted);
            }
            return request;
        }, deadlineMs);
    }

    private static void checkTopic(MetadataResponseTopic topic) {
        Errors error = Errors.forCode(topic.errorCode());
        if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
            throw new UnknownTopicException(topic.name());
        }
        if (error == Errors.INVALID_TOPIC_EXCEPTION) {
            throw new AdminException(error, "'" + topic.name() + "' is not a valid topic name (use letters, digits,"
                    + " '.', '_' and '-', at most 249 characters)");
        }
        if (error != Errors.NONE) {
            throw new AdminException(error, "cannot describe topic '" + topic.name() + "': " + error);
        }
    }

    /** Asks each partition's leader; partitions without a leader or with an error are left out. */
    private Map<TopicPartition, Long> offsets(MetadataResponse metadata, Collection<TopicPartition> partitions,
                                              long timestamp, long deadlineMs) {
        Map<Integer, InetSocketAddress> brokers = brokers(metadata);
        Map<String, Map<Integer, Integer>> leaders = new HashMap<>();
        for (MetadataResponseTopic topic : metadata.topics()) {
            Map<Integer, Integer> byPartition = new HashMap<>();
            for (MetadataResponsePartition p : topic.partitions()) {
                byPartition.put(p.partitionIndex(), p.leaderId());
            }
            leaders.put(topic.name(), byPartition);
        }
        Map<Integer, List<TopicPartition>> byLeader = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            int leader = leaders.getOrDefault(tp.topic(), Map.of()).getOrDefault(tp.partition(), -1);
            if (leader >= 0 && brokers.containsKey(leader)) {
                byLeader.computeIfAbsent(leader, id -> new ArrayList<>()).add(tp);
            }
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<Integer, List<TopicPartition>> entry : byLeader.entrySet()) {
            ListOffsetsResponse response = (ListOffsetsResponse) channel.call(entry.getKey(),
                    brokers.get(entry.getKey()), ApiKey.LIST_OFFSETS,
                    version -> listOffsetsRequest(entry.getValue(), timestamp), deadlineMs);
            for (ListOffsetsResponse.ListOffsetsTopicResponse topic : response.topics()) {
                for (ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse p : topic.partitions()) {
                    if (Errors.forCode(p.errorCode()) == Errors.NONE) {
                        offsets.put(new TopicPartition(topic.name(), p.partitionIndex()), p.offset());
                    }
                }
            }
        }
        return offsets;
    }

    private static ListOffsetsRequest listOffsetsRequest(List<TopicPartition> partitions, long timestamp) {
        Map<String, ListOffsetsTopic> topics = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            topics.computeIfAbsent(tp.topic(), name -> new ListOffsetsTopic().setName(name)).partitions()
                    .add(new ListOffsetsPartition().setPartitionIndex(tp.partition()).setTimestamp(timestamp));
        }
        return new ListOffsetsRequest().setReplicaId(-1).setTopics(new ArrayList<>(topics.values()));
    }

    static Map<Integer, InetSocketAddress> brokers(MetadataResponse metadata) {
        Map<Integer, InetSocketAddress> brokers = new HashMap<>();
        for (MetadataResponse.MetadataResponseBroker broker : metadata.brokers()) {
            brokers.put(broker.nodeId(), InetSocketAddress.createUnresolved(broker.host(), broker.port()));
        }
        return brokers;
    }

    /** The broker's own message when it sent one, else the error code's name. */
    static String explain(Errors error, String brokerMessage) {
        return brokerMessage != null && !brokerMessage.isBlank() ? brokerMessage : error.name();
    }
}

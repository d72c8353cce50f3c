package io.tidelog.broker.api;

import io.tidelog.broker.metadata.MetadataImage;
import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.metadata.TopicNames;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.broker.replica.Partition;
import io.tidelog.broker.replica.ReplicaManager;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.MetadataRequest;
import io.tidelog.protocol.message.MetadataResponse;
import io.tidelog.protocol.message.MetadataResponse.MetadataResponseTopic;
import io.tidelog.protocol.message.MetadataResponse.MetadataResponseTopic.MetadataResponsePartition;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata v0–12: this broker as the only broker and as the controller ({@code controller_id}),
 * the cluster id, and the requested topics (all of them for a null list, or an empty one in v0).
 * A missing topic is created first when {@code auto.create.topics.enable} is on and the request
 * allows it (v4+), on the control thread; the answer then lists it with its partitions.
 */
final class MetadataHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataHandler.class);
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private final TopicRegistry registry;
    private final ReplicaManager replicaManager;
    private final Executor control;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;

    MetadataHandler(TopicRegistry registry, ReplicaManager replicaManager, Executor control, boolean autoCreateTopics,
                    int defaultPartitions) {
        this.registry = registry;
        this.replicaManager = replicaManager;
        this.control = control;
        this.autoCreateTopics = autoCreateTopics;
        this.defaultPartitions = defaultPartitions;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        MetadataRequest request = MetadataRequest.read(body, context.apiVersion());
        List<MetadataRequest.MetadataRequestTopic> requested = request.topics();
        boolean allTopics = requested == null || (context.apiVersion() == 0 && requested.isEmpty());
        MetadataImage image = registry.image();
        if (allTopics) {
            context.respond(response(image, null));
            return;
        }
        Set<String> toCreate = new LinkedHashSet<>();
        if (autoCreateTopics && request.allowAutoTopicCreation()) {
            for (MetadataRequest.MetadataRequestTopic topic : requested) {
                String name = topic.name();
                if (name != null && image.topic(name) == null && TopicNames.isValid(name)) {
                    toCreate.add(name);
                }
            }
        }
        if (toCreate.isEmpty()) {
            context.respond(response(image, requested));
            return;
        }
        control.execute(() -> {
            for (String name : toCreate) {
                try {
                    TopicRegistry.Outcome outcome = registry.create(name, defaultPartitions, Map.of());
                    if (outcome == TopicRegistry.Outcome.OK) {
                        LOG.info("Auto-created topic {} with {} partition(s) for client {}", name, defaultPartitions,
                                context.clientId());
                    }
                } catch (Exception e) {
                    LOG.error("Auto-creating topic {} failed", name, e);
                }
            }
            context.respond(response(registry.image(), requested));
        });
    }

    private MetadataResponse response(MetadataImage image, List<MetadataRequest.MetadataRequestTopic> requested) {
        MetadataResponse response = new MetadataResponse()
                .setClusterId(image.clusterId())
                .setControllerId(image.controllerId());
        response.brokers().add(new MetadataResponse.MetadataResponseBroker()
                .setNodeId(image.nodeId()).setHost(image.advertisedHost()).setPort(image.advertisedPort()));
        List<MetadataResponseTopic> topics = new ArrayList<>();
        if (requested == null) {
            for (TopicImage topic : image.topics().values()) {
                topics.add(describe(topic));
            }
        } else {
            for (MetadataRequest.MetadataRequestTopic wanted : requested) {
                topics.add(lookup(image, wanted));
            }
        }
        return response.setTopics(topics);
    }

    private MetadataResponseTopic lookup(MetadataImage image, MetadataRequest.MetadataRequestTopic wanted) {
        String name = wanted.name();
        if (name == null) {
            UUID id = wanted.topicId();
            TopicImage byId = id == null ? null : image.topic(id);
            if (byId == null) {
                return new MetadataResponseTopic().setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setName(null)
                        .setTopicId(id == null ? ZERO_UUID : id);
            }
            return describe(byId);
        }
        if (!TopicNames.isValid(name)) {
            return new MetadataResponseTopic().setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code()).setName(name)
                    .setTopicId(ZERO_UUID);
        }
        TopicImage topic = image.topic(name);
        if (topic == null) {
            return new MetadataResponseTopic().setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setName(name)
                    .setTopicId(ZERO_UUID);
        }
        return describe(topic);
    }

    private MetadataResponseTopic describe(TopicImage topic) {
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(topic.name())
                .setTopicId(topic.topicId())
                .setIsInternal(TopicNames.isInternal(topic.name()));
        for (int p = 0; p < topic.partitionCount(); p++) {
            Partition partition = replicaManager.partition(topic.name(), p);
            MetadataResponsePartition entry = new MetadataResponsePartition().setPartitionIndex(p);
            if (partition == null) {
                entry.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code()).setLeaderId(-1);
            } else {
                entry.setErrorCode(Errors.NONE.code())
                        .setLeaderId(partition.leaderId())
                        .setLeaderEpoch(partition.leaderEpoch())
                        .setReplicaNodes(new ArrayList<>(partition.replicas()))
                        .setIsrNodes(new ArrayList<>(partition.inSyncReplicas()));
            }
            result.partitions().add(entry);
        }
        return result;
    }
}

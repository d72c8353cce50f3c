package io.tidelog.broker.api;

import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.config.ConfigEntry;
import io.tidelog.broker.config.ConfigException;
import io.tidelog.broker.config.TopicConfig;
import io.tidelog.broker.metadata.TopicNames;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.CreateTopicsRequest;
import io.tidelog.protocol.message.CreateTopicsRequest.CreatableTopic;
import io.tidelog.protocol.message.CreateTopicsResponse;
import io.tidelog.protocol.message.CreateTopicsResponse.CreatableTopicResult;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreateTopics v2–7, run on the control thread (it writes the registry and creates log files).
 * Checks, per topic and in Kafka's terms: legal name, not already there, partitions &gt; 0
 * (-1 = num.partitions), replication factor 1 on this single broker (-1 = default), replica
 * assignments naming only this broker, valid per-topic configs. {@code validateOnly} checks and
 * changes nothing. v5+ answers carry the effective configs.
 */
final class CreateTopicsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CreateTopicsHandler.class);

    private final TopicRegistry registry;
    private final BrokerConfig config;
    private final Executor control;

    CreateTopicsHandler(TopicRegistry registry, BrokerConfig config, Executor control) {
        this.registry = registry;
        this.config = config;
        this.control = control;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        CreateTopicsRequest request = CreateTopicsRequest.read(body, context.apiVersion());
        control.execute(() -> context.respond(create(request)));
    }

    private CreateTopicsResponse create(CreateTopicsRequest request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatableTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        List<CreatableTopicResult> results = new ArrayList<>();
        for (CreatableTopic topic : request.topics()) {
            CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
            if (duplicates.contains(topic.name())) {
                fail(result, Errors.INVALID_REQUEST, "Create topics request from client contains a duplicate topic "
                        + topic.name());
            } else {
                createOne(topic, request.validateOnly(), result);
            }
            results.add(result);
        }
        return new CreateTopicsResponse().setTopics(results);
    }

    private void createOne(CreatableTopic topic, boolean validateOnly, CreatableTopicResult result) {
        String name = topic.name();
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            fail(result, Errors.INVALID_TOPIC_EXCEPTION, invalid);
            return;
        }
        TopicRegistry.Outcome existing = registry.checkCreate(name);
        if (existing == TopicRegistry.Outcome.ALREADY_EXISTS) {
            fail(result, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
            return;
        }
        if (existing == TopicRegistry.Outcome.COLLIDES) {
            fail(result, Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + name
                    + "' collides with an existing topic (names differing only by '.' and '_' collide).");
            return;
        }
        int partitions;
        short replicationFactor;
        if (!topic.assignments().isEmpty()) {
            if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
                fail(result, Errors.INVALID_REQUEST, "Both numPartitions or replicationFactor and replicasAssignments "
                        + "were set. Both cannot be used at the same time.");
                return;
            }
            String assignmentError = checkAssignments(topic.assignments());
            if (assignmentError != null) {
                fail(result, Errors.INVALID_REPLICA_ASSIGNMENT, assignmentError);
                return;
            }
            partitions = topic.assignments().size();
            replicationFactor = 1;
        } else {
            partitions = topic.numPartitions() == -1 ? config.numPartitions() : topic.numPartitions();
            replicationFactor = topic.replicationFactor() == -1 ? config.defaultReplicationFactor()
                    : topic.replicationFactor();
            if (partitions <= 0) {
                fail(result, Errors.INVALID_PARTITIONS, "Number of partitions was set to an invalid non-positive value.");
                return;
            }
            if (replicationFactor <= 0) {
                fail(result, Errors.INVALID_REPLICATION_FACTOR,
                        "Replication factor was set to an invalid non-positive value.");
                return;
            }
            if (replicationFactor > 1) {
                fail(result, Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                        + replicationFactor + " time(s): The target replication factor of " + replicationFactor
                        + " cannot be reached because only 1 broker(s) are registered.");
                return;
            }
        }
        Map<String, String> overrides;
        TopicConfig topicConfig;
        try {
            Map<String, String> requested = new LinkedHashMap<>();
            for (CreatableTopic.CreatableTopicConfig entry : topic.configs()) {
                if (entry.value() == null) {
                    throw ConfigException.invalidValue(entry.name(), "null", "a value is required");
                }
                requested.put(entry.name(), entry.value());
            }
            overrides = TopicConfig.validate(requested);
            topicConfig = TopicConfig.of(config, overrides);
        } catch (ConfigException e) {
            fail(result, Errors.INVALID_CONFIG, e.getMessage());
            return;
        }
        if (!validateOnly) {
            try {
                TopicRegistry.Outcome outcome = registry.create(name, partitions, overrides);
                if (outcome != TopicRegistry.Outcome.OK) {
                    fail(result, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
                    return;
                }
                LOG.info("Created topic {} with {} partition(s) and configs {}", name, partitions, overrides);
            } catch (Exception e) {
                LOG.error("Creating topic {} failed", name, e);
                fail(result, Errors.UNKNOWN_SERVER_ERROR, "Creating topic " + name + " failed: " + e.getMessage());
                return;
            }
            result.setTopicId(registry.image().topic(name).topicId());
        }
        result.setErrorCode(Errors.NONE.code())
                .setNumPartitions(partitions)
                .setReplicationFactor(replicationFactor)
                .setConfigs(describeConfigs(topicConfig));
    }

    private String checkAssignments(List<CreatableTopic.CreatableReplicaAssignment> assignments) {
        Set<Integer> indexes = new HashSet<>();
        for (CreatableTopic.CreatableReplicaAssignment assignment : assignments) {
            if (!assignment.brokerIds().equals(List.of(config.nodeId()))) {
                return "Replica assignment " + assignment.brokerIds() + " of partition " + assignment.partitionIndex()
                        + " must name only broker " + config.nodeId();
            }
            indexes.add(assignment.partitionIndex());
        }
        for (int i = 0; i < assignments.size(); i++) {
            if (!indexes.contains(i)) {
                return "Partitions should be a consecutive 0-based integer sequence, but partition " + i + " is missing";
            }
        }
        return null;
    }

    private static List<CreatableTopicResult.CreatableTopicConfigs> describeConfigs(TopicConfig topicConfig) {
        List<CreatableTopicResult.CreatableTopicConfigs> configs = new ArrayList<>();
        for (ConfigEntry entry : topicConfig.entries()) {
            configs.add(new CreatableTopicResult.CreatableTopicConfigs()
                    .setName(entry.name())
                    .setValue(entry.value())
                    .setReadOnly(false)
                    .setConfigSource(entry.source().id())
                    .setIsSensitive(false));
        }
        return configs;
    }

    private static void fail(CreatableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message).setConfigs(null);
    }
}

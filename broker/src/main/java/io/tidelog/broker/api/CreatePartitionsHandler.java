package io.tidelog.broker.api;

import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.CreatePartitionsRequest;
import io.tidelog.protocol.message.CreatePartitionsRequest.CreatePartitionsTopic;
import io.tidelog.protocol.message.CreatePartitionsResponse;
import io.tidelog.protocol.message.CreatePartitionsResponse.CreatePartitionsTopicResult;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreatePartitions v0–3, on the control thread: grows a topic to {@code count} partitions (never
 * shrinks). Assignments, when given, must name only this broker, one per new partition.
 */
final class CreatePartitionsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CreatePartitionsHandler.class);

    private final TopicRegistry registry;
    private final int nodeId;
    private final Executor control;

    CreatePartitionsHandler(TopicRegistry registry, int nodeId, Executor control) {
        this.registry = registry;
        this.nodeId = nodeId;
        this.control = control;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        CreatePartitionsRequest request = CreatePartitionsRequest.read(body, context.apiVersion());
        control.execute(() -> {
            Set<String> seen = new HashSet<>();
            Set<String> duplicates = new HashSet<>();
            for (CreatePartitionsTopic topic : request.topics()) {
                if (!seen.add(topic.name())) {
                    duplicates.add(topic.name());
                }
            }
            List<CreatePartitionsTopicResult> results = new ArrayList<>();
            for (CreatePartitionsTopic topic : request.topics()) {
                CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
                if (duplicates.contains(topic.name())) {
                    fail(result, Errors.INVALID_REQUEST, "Duplicate topic in request.");
                } else {
                    grow(topic, request.validateOnly(), result);
                }
                results.add(result);
            }
            context.respond(new CreatePartitionsResponse().setResults(results));
        });
    }

    private void grow(CreatePartitionsTopic topic, boolean validateOnly, CreatePartitionsTopicResult result) {
        TopicImage current = registry.image().topic(topic.name());
        if (current == null) {
            fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + topic.name() + "' does not exist.");
            return;
        }
        int existing = current.partitionCount();
        if (topic.count() < existing) {
            fail(result, Errors.INVALID_PARTITIONS, "Topic currently has " + existing
                    + " partitions, which is higher than the requested " + topic.count() + ".");
            return;
        }
        if (topic.count() == existing) {
            fail(result, Errors.INVALID_PARTITIONS, "Topic already has " + existing + " partitions.");
            return;
        }
        if (topic.assignments() != null) {
            if (topic.assignments().size() != topic.count() - existing) {
                fail(result, Errors.INVALID_REPLICA_ASSIGNMENT, "Increasing the number of partitions by "
                        + (topic.count() - existing) + " but " + topic.assignments().size()
                        + " assignments provided.");
                return;
            }
            for (CreatePartitionsTopic.CreatePartitionsAssignment assignment : topic.assignments()) {
                if (!assignment.brokerIds().equals(List.of(nodeId))) {
                    fail(result, Errors.INVALID_REPLICA_ASSIGNMENT, "Replica assignment " + assignment.brokerIds()
                            + " must name only broker " + nodeId);
                    return;
                }
            }
        }
        if (!validateOnly) {
            try {
                registry.increasePartitions(topic.name(), topic.count());
                LOG.info("Topic {} now has {} partitions", topic.name(), topic.count());
            } catch (Exception e) {
                LOG.error("Adding partitions to {} failed", topic.name(), e);
                fail(result, Errors.UNKNOWN_SERVER_ERROR, e.toString());
                return;
            }
        }
        result.setErrorCode(Errors.NONE.code());
    }

    private static void fail(CreatePartitionsTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}

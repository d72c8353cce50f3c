package io.tidelog.broker.api;

import io.tidelog.broker.metadata.MetadataImage;
import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.DeleteTopicsRequest;
import io.tidelog.protocol.message.DeleteTopicsResponse;
import io.tidelog.protocol.message.DeleteTopicsResponse.DeletableTopicResult;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteTopics v1–6 (by name; v6 also by topic id), on the control thread: the topic leaves the
 * registry first (durably), then its partitions stop and their logs are deleted.
 */
final class DeleteTopicsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeleteTopicsHandler.class);
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private final TopicRegistry registry;
    private final Executor control;

    DeleteTopicsHandler(TopicRegistry registry, Executor control) {
        this.registry = registry;
        this.control = control;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        DeleteTopicsRequest request = DeleteTopicsRequest.read(body, context.apiVersion());
        boolean byState = context.apiVersion() >= 6;
        control.execute(() -> {
            List<DeletableTopicResult> results = new ArrayList<>();
            if (byState) {
                for (DeleteTopicsRequest.DeleteTopicState state : request.topics()) {
                    results.add(delete(state.name(), state.topicId()));
                }
            } else {
                for (String name : request.topicNames()) {
                    results.add(delete(name, null));
                }
            }
            context.respond(new DeleteTopicsResponse().setResponses(results));
        });
    }

    private DeletableTopicResult delete(String name, UUID topicId) {
        MetadataImage image = registry.image();
        boolean byId = name == null && topicId != null && !ZERO_UUID.equals(topicId);
        DeletableTopicResult result = new DeletableTopicResult().setName(name)
                .setTopicId(topicId == null ? ZERO_UUID : topicId);
        if (name == null && !byId) {
            return result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Neither topic name nor id was given");
        }
        TopicImage topic = byId ? image.topic(topicId) : image.topic(name);
        if (topic == null) {
            Errors error = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            return result.setErrorCode(error.code()).setErrorMessage(error == Errors.UNKNOWN_TOPIC_ID
                    ? "This server does not host this topic ID." : "This server does not host this topic-partition.");
        }
        result.setName(topic.name()).setTopicId(topic.topicId());
        try {
            registry.delete(topic.name());
            LOG.info("Deleted topic {}", topic.name());
            return result.setErrorCode(Errors.NONE.code());
        } catch (Exception e) {
            LOG.error("Deleting topic {} failed", topic.name(), e);
            return result.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()).setErrorMessage(e.toString());
        }
    }
}

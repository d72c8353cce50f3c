package io.tidelog.client.admin;

import io.tidelog.protocol.Errors;

/** A topic to create exists already (TOPIC_ALREADY_EXISTS). */
public final class TopicExistsException extends AdminException {

    private final String topic;

    public TopicExistsException(String topic) {
        super(Errors.TOPIC_ALREADY_EXISTS, "topic '" + topic + "' already exists");
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}

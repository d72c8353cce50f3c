package io.tidelog.client.admin;

import io.tidelog.protocol.Errors;

/** The topic does not exist (UNKNOWN_TOPIC_OR_PARTITION). */
public final class UnknownTopicException extends AdminException {

    private final String topic;

    public UnknownTopicException(String topic) {
        super(Errors.UNKNOWN_TOPIC_OR_PARTITION, "topic '" + topic + "' does not exist");
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}

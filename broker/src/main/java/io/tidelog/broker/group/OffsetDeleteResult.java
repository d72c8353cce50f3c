package io.tidelog.broker.group;

import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import java.util.Map;

/**
 * OffsetDelete's answer: a group-level error (then {@code partitions} is empty), else one error
 * per requested partition, in request order.
 */
public record OffsetDeleteResult(Errors error, Map<TopicPartition, Errors> partitions) {
}

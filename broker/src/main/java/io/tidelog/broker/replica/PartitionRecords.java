package io.tidelog.broker.replica;

import java.nio.ByteBuffer;

/**
 * One partition's records from a produce request: a view of the request frame, valid until the
 * request is answered. The leader stamps offsets and its epoch into it in place.
 */
public record PartitionRecords(TopicPartition topicPartition, ByteBuffer records) {
}

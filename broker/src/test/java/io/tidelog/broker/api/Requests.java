package io.tidelog.broker.api;

import io.tidelog.broker.RawClient;

import io.tidelog.protocol.message.CreateTopicsRequest;
import io.tidelog.protocol.message.FetchRequest;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.message.ListOffsetsRequest;
import io.tidelog.protocol.message.ListOffsetsResponse;
import io.tidelog.protocol.message.MetadataRequest;
import io.tidelog.protocol.message.ProduceRequest;
import io.tidelog.protocol.message.ProduceResponse;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.Record;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchBuilder;
import io.tidelog.protocol.record.Records;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Request builders and response readers shared by the broker's socket-level tests. */
final class Requests {

    static final short PRODUCE_V = 9;
    static final short FETCH_V = 12;
    static final short METADATA_V = 12;
    static final short CREATE_TOPICS_V = 7;
    static final short LIST_OFFSETS_V = 7;

    private Requests() {
    }

    static ByteBuffer batch(String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        long now = System.currentTimeMillis();
        for (String value : values) {
            builder.append(now, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    static ByteBuffer idempotentBatch(long producerId, short epoch, int baseSequence, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder().producer(producerId, epoch, baseSequence);
        long now = System.currentTimeMillis();
        for (String value : values) {
            builder.append(now, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    static ProduceRequest produce(String topic, int partition, ByteBuffer records, short acks) {
        ProduceRequest.TopicProduceData.PartitionProduceData data = new ProduceRequest.TopicProduceData.PartitionProduceData()
                .setIndex(partition).setRecords(MemoryRecords.wrap(records));
        ProduceRequest.TopicProduceData topicData = new ProduceRequest.TopicProduceData().setName(topic);
        topicData.partitionData().add(data);
        ProduceRequest request = new ProduceRequest().setAcks(acks).setTimeoutMs(10_000);
        request.topicData().add(topicData);
        return request;
    }

    static ProduceResponse.TopicProduceResponse.PartitionProduceResponse produceAndAwait(RawClient client, String topic,
            int partition, ByteBuffer records, short acks) throws IOException {
        ProduceResponse response = client.call(produce(topic, partition, records, acks), PRODUCE_V, ProduceResponse::read);
        return response.responses().get(0).partitionResponses().get(0);
    }

    static FetchRequest fetch(int maxWaitMs, int minBytes, Map<Integer, Long> offsetsByPartition, String topic) {
        FetchRequest.FetchTopic fetchTopic = new FetchRequest.FetchTopic().setTopic(topic);
        offsetsByPartition.forEach((partition, offset) -> fetchTopic.partitions().add(
                new FetchRequest.FetchTopic.FetchPartition().setPartition(partition).setFetchOffset(offset)
                        .setPartitionMaxBytes(1024 * 1024)));
        FetchRequest request = new FetchRequest().setMaxWaitMs(maxWaitMs).setMinBytes(minBytes)
                .setMaxBytes(50 * 1024 * 1024).setIsolationLevel((byte) 0).setSessionEpoch(-1);
        request.topics().add(fetchTopic);
        return request;
    }

    static FetchResponse.FetchableTopicResponse.PartitionData fetchOne(RawClient client, String topic, int partition,
                                                                       long offset) throws IOException {
        FetchResponse response = client.call(fetch(0, 1, Map.of(partition, offset), topic), FETCH_V, FetchResponse::read);
        return response.responses().get(0).partitions().get(0);
    }

    /** Values of every record in fetched bytes, in offset order, with their offsets. */
    static List<String> values(Records records) {
        List<String> values = new ArrayList<>();
        if (records == null) {
            return values;
        }
        ByteBuffer bytes = ((MemoryRecords) records).buffer();
        RecordBatch batch = new RecordBatch();
        for (int p = 0; p < bytes.limit(); p += batch.sizeInBytes()) {
            batch.wrap(bytes, p);
            if (!batch.validateHeader().isValid()) {
                break;
            }
            for (Record record : batch.records()) {
                values.add(record.offset() + ":" + new String(toArray(record.value()), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static byte[] toArray(Object value) {
        if (value instanceof byte[] array) {
            return array;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    static CreateTopicsRequest createTopic(String name, int partitions, Map<String, String> configs) {
        CreateTopicsRequest.CreatableTopic topic = new CreateTopicsRequest.CreatableTopic().setName(name)
                .setNumPartitions(partitions).setReplicationFactor((short) 1);
        configs.forEach((k, v) -> topic.configs().add(new CreateTopicsRequest.CreatableTopic.CreatableTopicConfig()
                .setName(k).setValue(v)));
        CreateTopicsRequest request = new CreateTopicsRequest().setTimeoutMs(10_000);
        request.topics().add(topic);
        return request;
    }

    static MetadataRequest metadata(String... topics) {
        MetadataRequest request = new MetadataRequest().setAllowAutoTopicCreation(false);
        for (String topic : topics) {
            request.topics().add(new MetadataRequest.MetadataRequestTopic().setName(topic));
        }
        return request;
    }

    static ListOffsetsRequest listOffsets(String topic, int partition, long timestamp) {
        ListOffsetsRequest.ListOffsetsTopic listTopic = new ListOffsetsRequest.ListOffsetsTopic().setName(topic);
        listTopic.partitions().add(new ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition()
                .setPartitionIndex(partition).setTimestamp(timestamp));
        ListOffsetsRequest request = new ListOffsetsRequest().setReplicaId(-1);
        request.topics().add(listTopic);
        return request;
    }

    static ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse listOffset(RawClient client,
            String topic, int partition, long timestamp) throws IOException {
        ListOffsetsResponse response = client.call(listOffsets(topic, partition, timestamp), LIST_OFFSETS_V,
                ListOffsetsResponse::read);
        return response.topics().get(0).partitions().get(0);
    }
}

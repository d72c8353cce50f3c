package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.frame.DecodedRequest;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.FetchRequest;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.message.ListOffsetsResponse;
import io.tidelog.protocol.message.MetadataResponse;
import io.tidelog.protocol.message.OffsetForLeaderEpochRequest;
import io.tidelog.protocol.message.OffsetForLeaderEpochResponse;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * KIP-320 against a scripted leader: after the consumer read offsets 0..9 (epoch 5), the leader
 * changes (epoch 6) and the new leader's log ends epoch 5 at offset 7 — offsets 7..9 were lost.
 * The consumer must notice (fenced fetch, new metadata, OffsetForLeaderEpoch) and either continue
 * from the divergence point (reset earliest) or report the truncation (reset none).
 */
class LeaderChangeTest {

    private static final String TOPIC = "epochs";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    /** The fake broker, for its own port in Metadata answers (set right after it starts). */
    private final FakeLeader[] brokerRef = new FakeLeader[1];

    /** The scripted partition: before the change, offsets 0..9 at epoch 5; after, 0..6 then 7..11 at epoch 6. */
    private static final class Partition {
        volatile boolean leaderChanged;
        final List<OffsetForLeaderEpochRequest> validations = new java.util.concurrent.CopyOnWriteArrayList<>();

        int epoch() {
            return leaderChanged ? 6 : 5;
        }

        long highWatermark() {
            return leaderChanged ? 12 : 10;
        }

        ApiMessage answer(FakeLeader broker, DecodedRequest request) {
            return switch (request.api()) {
                case METADATA -> new MetadataResponse().setBrokers(List.of(new MetadataResponse.MetadataResponseBroker()
                                .setNodeId(0).setHost("127.0.0.1").setPort(broker.port())))
                        .setControllerId(0).setTopics(List.of(new MetadataResponse.MetadataResponseTopic().setName(TOPIC)
                                .setPartitions(List.of(new MetadataResponse.MetadataResponseTopic.MetadataResponsePartition()
                                        .setPartitionIndex(0).setLeaderId(0).setLeaderEpoch(epoch())
                                        .setReplicaNodes(List.of(0)).setIsrNodes(List.of(0))))));
                case LIST_OFFSETS -> new ListOffsetsResponse().setTopics(List.of(
                        new ListOffsetsResponse.ListOffsetsTopicResponse().setName(TOPIC).setPartitions(List.of(
                                new ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse()
                                        .setPartitionIndex(0).setOffset(0).setLeaderEpoch(5)))));
                case OFFSET_FOR_LEADER_EPOCH -> {
                    validations.add((OffsetForLeaderEpochRequest) request.body());
                    yield new OffsetForLeaderEpochResponse().setTopics(List.of(
                            new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult().setTopic(TOPIC).setPartitions(
                                    List.of(new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult.EpochEndOffset()
                                            .setPartition(0).setLeaderEpoch(5).setEndOffset(7)))));
                }
                case FETCH -> fetch((FetchRequest) request.body());
                default -> throw new IllegalStateException("unexpected " + request.api());
            };
        }

        private FetchResponse fetch(FetchRequest request) {
            FetchRequest.FetchTopic.FetchPartition asked = request.topics().get(0).partitions().get(0);
            FetchResponse.FetchableTopicResponse.PartitionData data = new FetchResponse.FetchableTopicResponse
                    .PartitionData().setPartitionIndex(0).setHighWatermark(highWatermark()).setLogStartOffset(0);
            if (asked.currentLeaderEpoch() < epoch()) {
                data.setErrorCode(Errors.FENCED_LEADER_EPOCH.code());
            } else if (asked.fetchOffset() < highWatermark()) {
                data.setRecords(MemoryRecords.wrap(batchFrom(asked.fetchOffset())));
            } else {
                pause(Math.min(request.maxWaitMs(), 50));
                data.setRecords(MemoryRecords.EMPTY);
            }
            return new FetchResponse().setResponses(List.of(new FetchResponse.FetchableTopicResponse().setTopic(TOPIC)
                    .setPartitions(List.of(data))));
        }

        /** The batch holding {@code offset}: epoch-5 batch 0..9 before, then 0..6 (epoch 5) and 7..11 (epoch 6). */
        private ByteBuffer batchFrom(long offset) {
            RecordBatchBuilder builder = new RecordBatchBuilder();
            if (!leaderChanged) {
                builder.baseOffset(0).partitionLeaderEpoch(5);
                for (int i = 0; i < 10; i++) {
                    builder.append(1000 + i, null, ("old-" + i).getBytes(StandardCharsets.UTF_8));
                }
            } else if (offset < 7) {
                builder.baseOffset(0).partitionLeaderEpoch(5);
                for (int i = 0; i < 7; i++) {
                    builder.append(1000 + i, null, ("old-" + i).getBytes(StandardCharsets.UTF_8));
                }
            } else {
                builder.baseOffset(7).partitionLeaderEpoch(6);
                for (int i = 7; i < 12; i++) {
                    builder.append(2000 + i, null, ("new-" + i).getBytes(StandardCharsets.UTF_8));
                }
            }
            return builder.build();
        }

        /** Simulates the broker's long poll on an empty partition (not a test wait). */
        private static void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static TidelogConsumer<String, String> consumer(FakeLeader broker, String reset) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + broker.port());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET, reset);
        settings.put(ConsumerConfig.RETRY_BACKOFF_MS, 20);
        return new TidelogConsumer<>(settings, Deserializers.string(), Deserializers.string());
    }

    private static List<ConsumerRecord<String, String>> readOldTen(Consumer<String, String> consumer) {
        consumer.assign(List.of(TP));
        consumer.seek(TP, 0);
        List<ConsumerRecord<String, String>> records = AssignedReadingTest.pollUntil(consumer, 10);
        assertThat(records).hasSize(10);
        assertThat(records.get(9).leaderEpoch()).isEqualTo(5);
        return records;
    }

    @Test
    void givenALeaderChangeThatTruncatedTheLogWhenResetIsEarliestThenReadingContinuesFromTheDivergencePoint()
            throws Exception {
        Partition partition = new Partition();
        try (FakeLeader broker = new FakeLeader(request -> partition.answer(brokerRef[0], request))) {
            brokerRef[0] = broker;
            try (TidelogConsumer<String, String> consumer = consumer(broker, "earliest")) {
                readOldTen(consumer);
                partition.leaderChanged = true;
                List<ConsumerRecord<String, String>> after = AssignedReadingTest.pollUntil(consumer, 5);

                assertThat(after).extracting(ConsumerRecord::offset).containsExactly(7L, 8L, 9L, 10L, 11L);
                assertThat(after).extracting(ConsumerRecord::value).startsWith("new-7");
                assertThat(partition.validations).isNotEmpty();
                OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition asked =
                        partition.validations.get(0).topics().get(0).partitions().get(0);
                assertThat(asked.leaderEpoch()).isEqualTo(5);
                assertThat(asked.currentLeaderEpoch()).isEqualTo(6);
                assertThat(partition.validations.get(0).replicaId()).isEqualTo(-1);
            }
        }
    }

    @Test
    void givenALeaderChangeThatTruncatedTheLogWhenResetIsNoneThenPollThrowsLogTruncationWithTheDivergentOffset()
            throws Exception {
        Partition partition = new Partition();
        try (FakeLeader broker = new FakeLeader(request -> partition.answer(brokerRef[0], request))) {
            brokerRef[0] = broker;
            try (TidelogConsumer<String, String> consumer = consumer(broker, "none")) {
                readOldTen(consumer);
                partition.leaderChanged = true;
                LogTruncationException error = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (error == null && System.nanoTime() < deadline) {
                    try {
                        consumer.poll(Duration.ofMillis(100));
                    } catch (LogTruncationException e) {
                        error = e;
                    }
                }
                assertThat(error).isNotNull();
                assertThat(error.divergentOffsets().get(TP).offset()).isEqualTo(7);
                assertThat(error.offsetOutOfRangePartitions()).containsEntry(TP, 10L);
                consumer.seek(TP, error.divergentOffsets().get(TP).offset());
                assertThat(AssignedReadingTest.pollUntil(consumer, 5).get(0).value()).isEqualTo("new-7");
            }
        }
    }
}

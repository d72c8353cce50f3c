package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.frame.DecodedRequest;
import io.tidelog.protocol.group.ConsumerProtocol;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ConsumerProtocolSubscription;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.message.FindCoordinatorResponse;
import io.tidelog.protocol.message.HeartbeatResponse;
import io.tidelog.protocol.message.JoinGroupRequest;
import io.tidelog.protocol.message.JoinGroupResponse;
import io.tidelog.protocol.message.LeaveGroupResponse;
import io.tidelog.protocol.message.ListOffsetsResponse;
import io.tidelog.protocol.message.MetadataResponse;
import io.tidelog.protocol.message.OffsetFetchResponse;
import io.tidelog.protocol.message.SyncGroupRequest;
import io.tidelog.protocol.message.SyncGroupResponse;
import io.tidelog.protocol.record.MemoryRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The join handshake as Apache Kafka's coordinator runs it (checked against a scripted
 * coordinator, since Tidelog's own may skip the optional step): JoinGroup v4+ from a new member
 * is answered MEMBER_ID_REQUIRED with an id (KIP-394), and the member must rejoin with that id;
 * then the elected leader assigns and sends SyncGroup with the assignment; heartbeats follow.
 */
class JoinProtocolTest {

    private static final String TOPIC = "joins";

    @Test
    void givenACoordinatorThatRequiresAMemberIdWhenJoiningThenTheMemberRejoinsWithTheGivenIdAndGetsItsAssignment()
            throws Exception {
        List<String> joinMemberIds = new CopyOnWriteArrayList<>();
        List<SyncGroupRequest> syncs = new CopyOnWriteArrayList<>();
        List<String> heartbeats = new CopyOnWriteArrayList<>();
        FakeLeader[] self = new FakeLeader[1];
        try (FakeLeader broker = new FakeLeader(request -> answer(self[0], request, joinMemberIds, syncs, heartbeats))) {
            self[0] = broker;
            try (TidelogConsumer<String, String> consumer = new TidelogConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + broker.port(),
                    ConsumerConfig.GROUP_ID, "g", ConsumerConfig.HEARTBEAT_INTERVAL_MS, 100,
                    ConsumerConfig.SESSION_TIMEOUT_MS, 3000, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY,
                    "roundrobin,range"), Deserializers.string(), Deserializers.string())) {
                List<TopicPartition> assigned = new ArrayList<>();
                consumer.subscribe(List.of(TOPIC), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                    }

                    @Override
                    public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                        assigned.addAll(partitions);
                    }
                });
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (assigned.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(100));
                }
                assertThat(joinMemberIds).containsExactly("", "member-1");
                assertThat(assigned).containsExactlyInAnyOrder(new TopicPartition(TOPIC, 0),
                        new TopicPartition(TOPIC, 1));
                assertThat(syncs.get(0).memberId()).isEqualTo("member-1");
                assertThat(syncs.get(0).generationId()).isEqualTo(3);
                assertThat(syncs.get(0).assignments()).hasSize(1);
                await().atMost(Duration.ofSeconds(30)).until(() -> heartbeats.size() >= 2);
                assertThat(heartbeats).allMatch(h -> h.equals("member-1@3"));
                assertThat(broker.failures).isEmpty();
            }
        }
    }

    private static ApiMessage answer(FakeLeader broker, DecodedRequest request, List<String> joinMemberIds,
                                     List<SyncGroupRequest> syncs, List<String> heartbeats) {
        return switch (request.api()) {
            case METADATA -> new MetadataResponse().setBrokers(List.of(new MetadataResponse.MetadataResponseBroker()
                            .setNodeId(0).setHost("127.0.0.1").setPort(broker.port())))
                    .setControllerId(0).setTopics(List.of(new MetadataResponse.MetadataResponseTopic().setName(TOPIC)
                            .setPartitions(List.of(partition(0), partition(1)))));
            case FIND_COORDINATOR -> request.apiVersion() >= 4
                    ? new FindCoordinatorResponse().setCoordinators(List.of(new FindCoordinatorResponse.Coordinator()
                            .setKey("g").setNodeId(0).setHost("127.0.0.1").setPort(broker.port())))
                    : new FindCoordinatorResponse().setNodeId(0).setHost("127.0.0.1").setPort(broker.port());
            case JOIN_GROUP -> {
                JoinGroupRequest join = (JoinGroupRequest) request.body();
                joinMemberIds.add(join.memberId());
                assertThat(join.protocols()).extracting(JoinGroupRequest.JoinGroupRequestProtocol::name)
                        .containsExactly("roundrobin", "range");
                if (join.memberId().isEmpty()) {
                    yield new JoinGroupResponse().setErrorCode(Errors.MEMBER_ID_REQUIRED.code())
                            .setMemberId("member-1").setLeader("").setProtocolName(null);
                }
                ConsumerProtocolSubscription subscription =
                        ConsumerProtocol.readSubscription(join.protocols().get(0).metadata());
                assertThat(subscription.topics()).containsExactly(TOPIC);
                yield new JoinGroupResponse().setGenerationId(3).setProtocolType("consumer").setProtocolName("roundrobin")
                        .setLeader("member-1").setMemberId("member-1").setMembers(List.of(
                                new JoinGroupResponse.JoinGroupResponseMember().setMemberId("member-1")
                                        .setMetadata(join.protocols().get(0).metadata())));
            }
            case SYNC_GROUP -> {
                SyncGroupRequest sync = (SyncGroupRequest) request.body();
                syncs.add(sync);
                yield new SyncGroupResponse().setProtocolType("consumer").setProtocolName("roundrobin")
                        .setAssignment(sync.assignments().get(0).assignment());
            }
            case HEARTBEAT -> {
                io.tidelog.protocol.message.HeartbeatRequest heartbeat =
                        (io.tidelog.protocol.message.HeartbeatRequest) request.body();
                heartbeats.add(heartbeat.memberId() + "@" + heartbeat.generationId());
                yield new HeartbeatResponse();
            }
            case OFFSET_FETCH -> new OffsetFetchResponse();
            case LIST_OFFSETS -> new ListOffsetsResponse().setTopics(List.of(
                    new ListOffsetsResponse.ListOffsetsTopicResponse().setName(TOPIC).setPartitions(List.of(
                            offset(0), offset(1)))));
            case FETCH -> {
                try {
                    Thread.sleep(50); // the broker's long poll on an empty log (simulated latency, not a test wait)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield new FetchResponse().setResponses(List.of(new FetchResponse.FetchableTopicResponse()
                        .setTopic(TOPIC).setPartitions(List.of(
                                new FetchResponse.FetchableTopicResponse.PartitionData().setPartitionIndex(0)
                                        .setRecords(MemoryRecords.EMPTY),
                                new FetchResponse.FetchableTopicResponse.PartitionData().setPartitionIndex(1)
                                        .setRecords(MemoryRecords.EMPTY)))));
            }
            case LEAVE_GROUP -> new LeaveGroupResponse();
            case OFFSET_COMMIT -> {
                io.tidelog.protocol.message.OffsetCommitRequest commit =
                        (io.tidelog.protocol.message.OffsetCommitRequest) request.body();
                List<io.tidelog.protocol.message.OffsetCommitResponse.OffsetCommitResponseTopic> topics = new ArrayList<>();
                for (var topic : commit.topics()) {
                    List<io.tidelog.protocol.message.OffsetCommitResponse.OffsetCommitResponseTopic
                            .OffsetCommitResponsePartition> partitions = new ArrayList<>();
                    for (var p : topic.partitions()) {
                        partitions.add(new io.tidelog.protocol.message.OffsetCommitResponse.OffsetCommitResponseTopic
                                .OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex()));
                    }
                    topics.add(new io.tidelog.protocol.message.OffsetCommitResponse.OffsetCommitResponseTopic()
                            .setName(topic.name()).setPartitions(partitions));
                }
                yield new io.tidelog.protocol.message.OffsetCommitResponse().setTopics(topics);
            }
            default -> throw new IllegalStateException("unexpected " + request.api());
        };
    }

    private static MetadataResponse.MetadataResponseTopic.MetadataResponsePartition partition(int index) {
        return new MetadataResponse.MetadataResponseTopic.MetadataResponsePartition().setPartitionIndex(index)
                .setLeaderId(0).setLeaderEpoch(0).setReplicaNodes(List.of(0)).setIsrNodes(List.of(0));
    }

    private static ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse offset(int partition) {
        return new ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse()
                .setPartitionIndex(partition).setOffset(0);
    }
}

package io.tidelog.protocol.frame;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.UnsupportedVersionException;
import io.tidelog.protocol.group.ConsumerProtocol;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ConsumerProtocolAssignment;
import io.tidelog.protocol.message.ConsumerProtocolSubscription;
import io.tidelog.protocol.message.FindCoordinatorRequest;
import io.tidelog.protocol.message.FindCoordinatorResponse;
import io.tidelog.protocol.message.JoinGroupRequest;
import io.tidelog.protocol.message.JoinGroupResponse;
import io.tidelog.protocol.message.KafkaOracle;
import io.tidelog.protocol.message.OffsetFetchRequest;
import io.tidelog.protocol.message.OffsetFetchResponse;
import io.tidelog.protocol.message.SyncGroupResponse;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The group APIs as a coordinator meets them from the Java consumer at the versions it uses
 * against Tidelog's ranges: whole request frames the client builds decode into what the
 * coordinator needs (consumer-protocol payloads included), and the answers it encodes parse in
 * the client. The batched shapes (FindCoordinator v4+, OffsetFetch v8+) keep the old top-level
 * fields empty, and putting a value there is refused, as Kafka's encoder does.
 */
class GroupApiFramesTest {

    private static final short JOIN_GROUP_V9 = 9;
    private static final short FIND_COORDINATOR_V4 = 4;
    private static final short OFFSET_FETCH_V9 = 9;
    private static final short SYNC_GROUP_V5 = 5;

    @Test
    void givenTheJavaConsumersJoinGroupWhenTheBrokerDecodesItThenItSeesTheMemberItsProtocolsAndTheSubscriptionsInside() {
        byte[] range = kafkaSubscription(List.of("orders", "payments"));
        byte[] sticky = kafkaSubscription(List.of("orders"));
        JoinGroupRequestData theirs = new JoinGroupRequestData().setGroupId("billing").setSessionTimeoutMs(45_000)
                .setRebalanceTimeoutMs(300_000).setMemberId("").setGroupInstanceId("billing-1")
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE).setReason("need to re-join");
        theirs.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(range));
        theirs.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("cooperative-sticky")
                .setMetadata(sticky));

        DecodedRequest decoded = RequestDecoder.decode(
                FrameTestSupport.kafkaRequestFrame(ApiKeys.JOIN_GROUP, JOIN_GROUP_V9, 17, "consumer-billing-1", theirs));

        assertThat(decoded.status()).isEqualTo(DecodedRequest.Status.OK);
        JoinGroupRequest join = (JoinGroupRequest) decoded.body();
        assertThat(join.groupId()).isEqualTo("billing");
        assertThat(join.memberId()).isEmpty();
        assertThat(join.groupInstanceId()).isEqualTo("billing-1");
        assertThat(join.rebalanceTimeoutMs()).isEqualTo(300_000);
        assertThat(join.protocolType()).isEqualTo("consumer");
        assertThat(join.protocols()).extracting(JoinGroupRequest.JoinGroupRequestProtocol::name)
                .containsExactly("range", "cooperative-sticky");
        assertThat(ConsumerProtocol.readSubscription(join.protocols().get(0).metadata()).topics())
                .containsExactly("orders", "payments");
        assertThat(join.reason()).isEqualTo("need to re-join");
    }

    @Test
    void givenTheLeadersJoinGroupAnswerWhenTheJavaClientParsesItThenItSeesTheGenerationAndEveryMembersSubscription() {
        byte[] subscription = ConsumerProtocol.writeSubscription(
                new ConsumerProtocolSubscription().setTopics(List.of("orders")).setGenerationId(4), (short) 3);
        JoinGroupResponse ours = new JoinGroupResponse().setGenerationId(5).setProtocolType("consumer")
                .setProtocolName("range").setLeader("m-1").setMemberId("m-1")
                .setMembers(List.of(new JoinGroupResponse.JoinGroupResponseMember().setMemberId("m-1")
                        .setGroupInstanceId(null).setMetadata(subscription)));

        JoinGroupResponseData theirs = (JoinGroupResponseData) kafkaParsesResponse(ours, JOIN_GROUP_V9);

        assertThat(theirs.generationId()).isEqualTo(5);
        assertThat(theirs.leader()).isEqualTo(theirs.memberId());
        assertThat(theirs.protocolName()).isEqualTo("range");
        Subscription member = org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                .deserializeSubscription(ByteBuffer.wrap(theirs.members().get(0).metadata()));
        assertThat(member.topics()).containsExactly("orders");
        assertThat(member.generationId()).contains(4);
    }

    @Test
    void givenAnAssignmentInTheSyncGroupAnswerWhenTheJavaClientParsesItThenTheMemberGetsItsPartitions() {
        byte[] assignment = ConsumerProtocol.writeAssignment(new ConsumerProtocolAssignment().setAssignedPartitions(
                List.of(new ConsumerProtocolAssignment.TopicPartition().setTopic("orders").setPartitions(List.of(0, 3)))),
                (short) 3);
        SyncGroupResponse ours = new SyncGroupResponse().setProtocolType("consumer").setProtocolName("range")
                .setAssignment(assignment);

        SyncGroupResponseData theirs = (SyncGroupResponseData) kafkaParsesResponse(ours, SYNC_GROUP_V5);

        assertThat(org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                .deserializeAssignment(ByteBuffer.wrap(theirs.assignment())).partitions())
                .containsExactly(new TopicPartition("orders", 0), new TopicPartition("orders", 3));
    }

    @Test
    void givenABatchedFindCoordinatorWhenDecodedAndAnsweredPerKeyThenTheJavaClientFindsEveryCoordinator() {
        FindCoordinatorRequestData request = new FindCoordinatorRequestData().setKeyType((byte) 0)
                .setCoordinatorKeys(List.of("billing", "audit"));
        FindCoordinatorRequest decoded = (FindCoordinatorRequest) RequestDecoder.decode(FrameTestSupport.kafkaRequestFrame(
                ApiKeys.FIND_COORDINATOR, FIND_COORDINATOR_V4, 3, "admin", request)).body();
        assertThat(decoded.coordinatorKeys()).containsExactly("billing", "audit");
        assertThat(decoded.key()).isEmpty();

        FindCoordinatorResponse ours = new FindCoordinatorResponse().setCoordinators(decoded.coordinatorKeys().stream()
                .map(key -> new FindCoordinatorResponse.Coordinator().setKey(key).setNodeId(1).setHost("127.0.0.1")
                        .setPort(9092).setErrorMessage(null))
                .toList());
        FindCoordinatorResponseData theirs = (FindCoordinatorResponseData) kafkaParsesResponse(ours, FIND_COORDINATOR_V4);

        assertThat(theirs.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key)
                .containsExactly("billing", "audit");
        assertThat(theirs.coordinators()).allSatisfy(c -> assertThat(c.nodeId()).isEqualTo(1));
    }

    @Test
    void givenABatchedVersionWhenTheOldTopLevelFieldsAreSetThenEncodingIsRefusedBecauseTheWireHasNoPlaceForThem() {
        FindCoordinatorResponse findCoordinator = new FindCoordinatorResponse()
                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        OffsetFetchResponse offsetFetch = new OffsetFetchResponse().setTopics(List.of(
                new OffsetFetchResponse.OffsetFetchResponseTopic().setName("orders")));

        assertThatThrownBy(() -> findCoordinator.size(FIND_COORDINATOR_V4)).isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("errorCode");
        assertThatThrownBy(() -> offsetFetch.size(OFFSET_FETCH_V9)).isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("topics");
    }

    @Test
    void givenTheJavaConsumersOffsetFetchForItsGroupWhenDecodedAndAnsweredThenItGetsItsCommittedOffsets() {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setRequireStable(true).setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("billing").setMemberId("m-1")
                        .setMemberEpoch(5).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                .setName("orders").setPartitionIndexes(List.of(0, 1))))));
        OffsetFetchRequest decoded = (OffsetFetchRequest) RequestDecoder.decode(FrameTestSupport.kafkaRequestFrame(
                ApiKeys.OFFSET_FETCH, OFFSET_FETCH_V9, 8, "consumer", request)).body();
        OffsetFetchRequest.OffsetFetchRequestGroup group = decoded.groups().get(0);
        assertThat(group.groupId()).isEqualTo("billing");
        assertThat(group.topics().get(0).partitionIndexes()).containsExactly(0, 1);
        assertThat(decoded.requireStable()).isTrue();

        OffsetFetchResponse ours = new OffsetFetchResponse().setGroups(List.of(
                new OffsetFetchResponse.OffsetFetchResponseGroup().setGroupId("billing").setTopics(List.of(
                        new OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics().setName("orders")
                                .setPartitions(List.of(
                                        partition(0, 42, 3, "checkpoint"),
                                        partition(1, -1, -1, ""))))))); // no commit yet: offset -1
        OffsetFetchResponseData theirs = (OffsetFetchResponseData) kafkaParsesResponse(ours, OFFSET_FETCH_V9);

        List<OffsetFetchResponseData.OffsetFetchResponsePartitions> partitions =
                theirs.groups().get(0).topics().get(0).partitions();
        assertThat(partitions.get(0).committedOffset()).isEqualTo(42);
        assertThat(partitions.get(0).committedLeaderEpoch()).isEqualTo(3);
        assertThat(partitions.get(0).metadata()).isEqualTo("checkpoint");
        assertThat(partitions.get(1).committedOffset()).isEqualTo(-1);
    }

    private static OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics.OffsetFetchResponsePartitions
            partition(int index, long offset, int leaderEpoch, String metadata) {
        return new OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics.OffsetFetchResponsePartitions()
                .setPartitionIndex(index).setCommittedOffset(offset).setCommittedLeaderEpoch(leaderEpoch)
                .setMetadata(metadata);
    }

    private static byte[] kafkaSubscription(List<String> topics) {
        ByteBuffer bytes = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(
                new Subscription(topics, null, List.of(), 1, Optional.empty()));
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return array;
    }

    /** Our response frame as the Java client reads it: header of the version's kind, then the body. */
    private static org.apache.kafka.common.protocol.ApiMessage kafkaParsesResponse(ApiMessage ours, short version) {
        int correlationId = 99;
        ByteBuffer frame = FrameTestSupport.withoutSizePrefix(FrameEncoder.encodeResponse(correlationId, version, ours));
        ApiKey api = ours.apiKey();
        ResponseHeader header = ResponseHeader.parse(frame, ApiKeys.forId(api.id()).responseHeaderVersion(version));
        assertThat(header.correlationId()).isEqualTo(correlationId);
        return KafkaOracle.parse(api.apiName() + "Response", frame.slice(), version);
    }
}

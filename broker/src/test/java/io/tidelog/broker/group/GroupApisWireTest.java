package io.tidelog.broker.group;

import io.tidelog.broker.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.DescribeGroupsRequest;
import io.tidelog.protocol.message.DescribeGroupsResponse;
import io.tidelog.protocol.message.FindCoordinatorRequest;
import io.tidelog.protocol.message.FindCoordinatorResponse;
import io.tidelog.protocol.message.HeartbeatRequest;
import io.tidelog.protocol.message.HeartbeatResponse;
import io.tidelog.protocol.message.JoinGroupRequest;
import io.tidelog.protocol.message.JoinGroupResponse;
import io.tidelog.protocol.message.LeaveGroupRequest;
import io.tidelog.protocol.message.LeaveGroupResponse;
import io.tidelog.protocol.message.ListGroupsRequest;
import io.tidelog.protocol.message.ListGroupsResponse;
import io.tidelog.protocol.message.OffsetCommitRequest;
import io.tidelog.protocol.message.OffsetCommitResponse;
import io.tidelog.protocol.message.OffsetFetchRequest;
import io.tidelog.protocol.message.OffsetFetchResponse;
import io.tidelog.protocol.message.SyncGroupRequest;
import io.tidelog.protocol.message.SyncGroupResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group APIs over a real socket at the versions real clients do not exercise (v0 and the
 * oldest offset versions), and bad input: each gets its error code, and the broker keeps serving.
 */
class GroupApisWireTest {

    private static final String TOPIC = "wire";

    @TempDir
    Path dir;
    private BrokerServer server;
    private RawClient client;

    @BeforeEach
    void start() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dir.toString());
        settings.put("log.segment.bytes", Integer.toString(1024 * 1024));
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("socket.request.max.bytes", Integer.toString(4 * 1024 * 1024));
        server = BrokerServer.start(BrokerConfig.from(settings), Time.SYSTEM);
        server.topicRegistry().create(TOPIC, 2, Map.of());
        client = new RawClient(server.boundAddress());
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.shutdown();
        }
    }

    private static JoinGroupRequest join(String group, String memberId, String protocolType, byte[]... metadata) {
        List<JoinGroupRequest.JoinGroupRequestProtocol> protocols = new ArrayList<>();
        for (byte[] m : metadata) {
            protocols.add(new JoinGroupRequest.JoinGroupRequestProtocol().setName("range").setMetadata(m));
        }
        return new JoinGroupRequest().setGroupId(group).setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000)
                .setMemberId(memberId).setProtocolType(protocolType).setProtocols(protocols);
    }

    private OffsetCommitResponse commit(String group, String member, int generation, int partition, long offset,
                                        short version) throws IOException {
        OffsetCommitRequest request = new OffsetCommitRequest().setGroupId(group).setMemberId(member)
                .setGenerationIdOrMemberEpoch(generation).setTopics(List.of(new OffsetCommitRequest.OffsetCommitRequestTopic()
                        .setName(TOPIC).setPartitions(List.of(
                                new OffsetCommitRequest.OffsetCommitRequestTopic.OffsetCommitRequestPartition()
                                        .setPartitionIndex(partition).setCommittedOffset(offset)
                                        .setCommittedMetadata("m")))));
        return client.call(request, version, OffsetCommitResponse::read);
    }

    @Test
    void findCoordinatorNamesThisBrokerForGroupsInEveryVersionAndNoTransactionCoordinator() throws IOException {
        FindCoordinatorResponse v0 = client.call(new FindCoordinatorRequest().setKey("g"), (short) 0,
                FindCoordinatorResponse::read);
        assertThat(v0.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(v0.port()).isEqualTo(server.boundAddress().getPort());
        FindCoordinatorResponse v4 = client.call(new FindCoordinatorRequest().setKeyType((byte) 0)
                .setCoordinatorKeys(List.of("a", "b")), (short) 4, FindCoordinatorResponse::read);
        assertThat(v4.coordinators()).extracting(FindCoordinatorResponse.Coordinator::key).containsExactly("a", "b");
        assertThat(v4.coordinators()).allSatisfy(c -> assertThat(c.port()).isEqualTo(server.boundAddress().getPort()));
        FindCoordinatorResponse txn = client.call(new FindCoordinatorRequest().setKey("t").setKeyType((byte) 1),
                (short) 1, FindCoordinatorResponse::read);
        assertThat(txn.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
    }

    @Test
    void aV0MemberJoinsSyncsHeartbeatsCommitsFetchesAndLeaves() throws IOException {
        JoinGroupResponse joined = client.call(join("old", "", "consumer", new byte[] {1}), (short) 0,
                JoinGroupResponse::read);
        assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(joined.memberId());
        assertThat(joined.protocolName()).isEqualTo("range");
        String member = joined.memberId();
        SyncGroupResponse synced = client.call(new SyncGroupRequest().setGroupId("old").setGenerationId(1)
                .setMemberId(member).setAssignments(List.of(new SyncGroupRequest.SyncGroupRequestAssignment()
                        .setMemberId(member).setAssignment(new byte[] {7, 7}))), (short) 0, SyncGroupResponse::read);
        assertThat(synced.assignment()).containsExactly(7, 7);
        assertThat(client.call(new HeartbeatRequest().setGroupId("old").setGenerationId(1).setMemberId(member),
                (short) 0, HeartbeatResponse::read).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(commit("old", member, 1, 1, 33, (short) 2).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.NONE.code());
        OffsetFetchResponse fetched = client.call(new OffsetFetchRequest().setGroupId("old").setTopics(List.of(
                new OffsetFetchRequest.OffsetFetchRequestTopic().setName(TOPIC).setPartitionIndexes(List.of(0, 1)))),
                (short) 1, OffsetFetchResponse::read);
        assertThat(fetched.topics().get(0).partitions()).extracting(p -> p.committedOffset()).containsExactly(-1L, 33L);
        DescribeGroupsResponse described = client.call(new DescribeGroupsRequest().setGroups(List.of("old", "none")),
                (short) 0, DescribeGroupsResponse::read);
        assertThat(described.groups().get(0).groupState()).isEqualTo("Stable");
        assertThat(described.groups().get(0).members().get(0).memberAssignment()).containsExactly(7, 7);
        assertThat(described.groups().get(1).groupState()).isEqualTo("Dead");
        assertThat(client.call(new LeaveGroupRequest().setGroupId("old").setMemberId(member), (short) 0,
                LeaveGroupResponse::read).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(client.call(new LeaveGroupRequest().setGroupId("old").setMemberId(member), (short) 0,
                LeaveGroupResponse::read).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        ListGroupsResponse listed = client.call(new ListGroupsRequest(), (short) 0, ListGroupsResponse::read);
        assertThat(listed.groups()).extracting(ListGroupsResponse.ListedGroup::groupId).contains("old");
        ListGroupsResponse stable = client.call(new ListGroupsRequest().setStatesFilter(List.of("stable")), (short) 4,
                ListGroupsResponse::read);
        assertThat(stable.groups()).isEmpty();
        ListGroupsResponse empty = client.call(new ListGroupsRequest().setStatesFilter(List.of("Empty")), (short) 4,
                ListGroupsResponse::read);
        assertThat(empty.groups()).extracting(ListGroupsResponse.ListedGroup::groupState).containsExactly("Empty");
    }

    @Test
    void badGroupRequestsGetTheirErrorCodesAndTheBrokerKeepsServing() throws IOException {
        JoinGroupResponse noProtocols = client.call(join("bad", "", "consumer"), (short) 5, JoinGroupResponse::read);
        assertThat(noProtocols.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());

        JoinGroupResponse good = client.call(join("bad", "", "consumer", new byte[] {1}), (short) 3,
                JoinGroupResponse::read);
        assertThat(good.errorCode()).isEqualTo(Errors.NONE.code());
        JoinGroupResponse otherType = client.call(join("bad", "", "connect", new byte[] {1}), (short) 3,
                JoinGroupResponse::read);
        assertThat(otherType.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());

        SyncGroupResponse stranger = client.call(new SyncGroupRequest().setGroupId("bad").setGenerationId(1)
                .setMemberId("stranger"), (short) 3, SyncGroupResponse::read);
        assertThat(stranger.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());

        SyncGroupResponse leaderSync = client.call(new SyncGroupRequest().setGroupId("bad").setGenerationId(1)
                .setMemberId(good.memberId()), (short) 3, SyncGroupResponse::read);
        assertThat(leaderSync.errorCode()).isEqualTo(Errors.NONE.code());
        OffsetCommitResponse unknownPartition = commit("bad", good.memberId(), 1, 7, 1, (short) 8);
        assertThat(unknownPartition.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

        JoinGroupResponse huge = client.call(join("huge", "", "consumer", new byte[3 * 1024 * 1024]), (short) 3,
                JoinGroupResponse::read);
        assertThat(huge.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(huge.members().get(0).metadata()).hasSize(3 * 1024 * 1024);

        boolean closed;
        try {
            client.send(join("too-huge", "", "consumer", new byte[5 * 1024 * 1024]), (short) 3);
            closed = client.closedByBroker();
        } catch (IOException resetWhileWriting) {
            closed = true; // the broker refused the frame by its length prefix and closed mid-write
        }
        assertThat(closed).as("a frame over socket.request.max.bytes closes the connection").isTrue();

        try (RawClient fresh = new RawClient(server.boundAddress())) {
            assertThat(fresh.call(new HeartbeatRequest().setGroupId("bad").setGenerationId(1)
                    .setMemberId(good.memberId()), (short) 3, HeartbeatResponse::read).errorCode())
                    .isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void offsetFetchV8AnswersSeveralGroupsInRequestOrder() throws IOException {
        assertThat(commit("solo", "", -1, 0, 5, (short) 8).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.NONE.code());
        OffsetFetchResponse fetched = client.call(new OffsetFetchRequest().setGroups(List.of(
                new OffsetFetchRequest.OffsetFetchRequestGroup().setGroupId("solo").setTopics(null),
                new OffsetFetchRequest.OffsetFetchRequestGroup().setGroupId("nobody").setTopics(List.of(
                        new OffsetFetchRequest.OffsetFetchRequestGroup.OffsetFetchRequestTopics().setName(TOPIC)
                                .setPartitionIndexes(List.of(1)))))), (short) 8, OffsetFetchResponse::read);
        assertThat(fetched.groups()).extracting(OffsetFetchResponse.OffsetFetchResponseGroup::groupId)
                .containsExactly("solo", "nobody");
        assertThat(fetched.groups().get(0).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(5L);
        assertThat(fetched.groups().get(1).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(-1L);
    }
}

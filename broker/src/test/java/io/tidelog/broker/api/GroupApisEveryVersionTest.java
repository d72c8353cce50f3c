package io.tidelog.broker.api;

import io.tidelog.broker.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ApiMessages;
import io.tidelog.protocol.message.CreateTopicsResponse;
import io.tidelog.protocol.message.DeleteGroupsRequest;
import io.tidelog.protocol.message.DescribeGroupsRequest;
import io.tidelog.protocol.message.FindCoordinatorRequest;
import io.tidelog.protocol.message.HeartbeatRequest;
import io.tidelog.protocol.message.JoinGroupRequest;
import io.tidelog.protocol.message.JoinGroupResponse;
import io.tidelog.protocol.message.LeaveGroupRequest;
import io.tidelog.protocol.message.ListGroupsRequest;
import io.tidelog.protocol.message.OffsetCommitRequest;
import io.tidelog.protocol.message.OffsetDeleteRequest;
import io.tidelog.protocol.message.OffsetFetchRequest;
import io.tidelog.protocol.message.SyncGroupRequest;
import io.tidelog.protocol.types.ProtocolReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every group API answers at every version it advertises, on the success path. Clients speak
 * different versions (Kafka 4.x Java the newest, librdkafka and kafkajs older ones), and fields
 * differ per version: a handler that fills a field its version lacks cannot encode the answer and
 * the client sees its connection drop. Each case runs a whole member life — find coordinator,
 * join, sync, heartbeat, commit, fetch, describe, list, leave, then as an administrator: delete
 * the offset, commit from outside any generation, delete the group — in a fresh group, with the
 * API under test at one version and every other API at its newest, and requires every answer to
 * carry no error and each committed or deleted offset to read back as such.
 */
class GroupApisEveryVersionTest {

    private static final String TOPIC = "group-versions";
    private static final long COMMITTED = 42;
    private static final List<ApiKey> GROUP_APIS = List.of(ApiKey.FIND_COORDINATOR, ApiKey.JOIN_GROUP,
            ApiKey.SYNC_GROUP, ApiKey.HEARTBEAT, ApiKey.OFFSET_COMMIT, ApiKey.OFFSET_FETCH, ApiKey.DESCRIBE_GROUPS,
            ApiKey.LIST_GROUPS, ApiKey.LEAVE_GROUP, ApiKey.OFFSET_DELETE, ApiKey.DELETE_GROUPS);

    @TempDir
    static Path dataDir;

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new TestBroker(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
        try (RawClient client = broker.connect()) {
            client.call(Requests.createTopic(TOPIC, 1, Map.of()), Requests.CREATE_TOPICS_V, CreateTopicsResponse::read);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @TestFactory
    Stream<DynamicTest> givenOneGroupApiAtEachAdvertisedVersionWhenAMemberLivesThroughAGroupThenEveryAnswerIsErrorFree() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKey api : GROUP_APIS) {
            for (short version = api.lowestDecodableVersion(); version <= api.maxVersion(); version++) {
                Map<ApiKey, Short> versions = new EnumMap<>(ApiKey.class);
                GROUP_APIS.forEach(other -> versions.put(other, other.maxVersion()));
                versions.put(api, version);
                String group = "g-" + api.apiName().toLowerCase() + "-v" + version;
                tests.add(DynamicTest.dynamicTest(api.apiName() + " v" + version, () -> memberLife(group, versions)));
            }
        }
        return tests.stream();
    }

    private static void memberLife(String group, Map<ApiKey, Short> versions) throws Exception {
        try (RawClient client = broker.connect()) {
            Exchange exchange = new Exchange(client, versions);
            exchange.call(findCoordinator(group, versions.get(ApiKey.FIND_COORDINATOR)));

            JoinGroupResponse joined = (JoinGroupResponse) exchange.callAllowing(joinGroup(group, ""),
                    Errors.MEMBER_ID_REQUIRED);
            if (joined.errorCode() == Errors.MEMBER_ID_REQUIRED.code()) { // v4+: rejoin with the id we were given
                joined = (JoinGroupResponse) exchange.call(joinGroup(group, joined.memberId()));
            }
            String memberId = joined.memberId();
            int generation = joined.generationId();
            assertThat(joined.leader()).as("the only member leads").isEqualTo(memberId);

            exchange.call(syncGroup(group, generation, memberId));
            exchange.call(new HeartbeatRequest().setGroupId(group).setGenerationId(generation).setMemberId(memberId));
            exchange.call(offsetCommit(group, generation, memberId));
            Object fetched = exchange.call(offsetFetch(group, versions.get(ApiKey.OFFSET_FETCH)));
            assertThat(ResponseErrors.valuesOf(fetched, "committedOffset")).as("offsets fetched back")
                    .containsExactly(COMMITTED);
            DescribeGroupsRequest describe = new DescribeGroupsRequest();
            describe.groups().add(group);
            Object described = exchange.call(describe);
            assertThat(ResponseErrors.valuesOf(described, "memberId")).contains(memberId);
            Object listed = exchange.call(new ListGroupsRequest());
            assertThat(ResponseErrors.valuesOf(listed, "groupId")).contains(group);
            exchange.call(leaveGroup(group, memberId, versions.get(ApiKey.LEAVE_GROUP)));

            exchange.call(offsetDelete(group));
            assertThat(committedOffsets(exchange, group, versions)).as("after OffsetDelete").containsExactly(-1L);
            exchange.call(offsetCommit(group, -1, ""));
            assertThat(committedOffsets(exchange, group, versions)).as("after an admin's commit").containsExactly(COMMITTED);
            DeleteGroupsRequest delete = new DeleteGroupsRequest();
            delete.groupsNames().add(group);
            exchange.call(delete);
            assertThat(committedOffsets(exchange, group, versions)).as("after DeleteGroups").containsExactly(-1L);
        }
    }

    private static List<Object> committedOffsets(Exchange exchange, String group, Map<ApiKey, Short> versions)
            throws Exception {
        return ResponseErrors.valuesOf(exchange.call(offsetFetch(group, versions.get(ApiKey.OFFSET_FETCH))),
                "committedOffset");
    }

    private static OffsetDeleteRequest offsetDelete(String group) {
        OffsetDeleteRequest.OffsetDeleteRequestTopic topic = new OffsetDeleteRequest.OffsetDeleteRequestTopic()
                .setName(TOPIC);
        topic.partitions().add(new OffsetDeleteRequest.OffsetDeleteRequestTopic.OffsetDeleteRequestPartition()
                .setPartitionIndex(0));
        OffsetDeleteRequest request = new OffsetDeleteRequest().setGroupId(group);
        request.topics().add(topic);
        return request;
    }

    /** Sends each request at the version chosen for its API and checks the whole answer for errors. */
    private record Exchange(RawClient client, Map<ApiKey, Short> versions) {

        Object call(ApiMessage request) throws Exception {
            return callAllowing(request, Errors.NONE);
        }

        Object callAllowing(ApiMessage request, Errors allowed) throws Exception {
            ApiKey api = request.apiKey();
            short version = versions.get(api);
            Object response = client.call(request, version,
                    (ProtocolReader reader, Short v) -> ApiMessages.readResponse(api, reader, v));
            List<String> errors = ResponseErrors.nonZeroErrorCodes(response, api.apiName());
            errors.removeIf(error -> error.endsWith("=" + allowed.code()));
            assertThat(errors).as("%s v%d answered with errors", api.apiName(), version).isEmpty();
            return response;
        }
    }

    private static FindCoordinatorRequest findCoordinator(String group, short version) {
        FindCoordinatorRequest request = new FindCoordinatorRequest().setKeyType((byte) 0);
        if (version >= 4) {
            request.coordinatorKeys().add(group);
        } else {
            request.setKey(group);
        }
        return request;
    }

    private static JoinGroupRequest joinGroup(String group, String memberId) {
        JoinGroupRequest request = new JoinGroupRequest().setGroupId(group).setSessionTimeoutMs(30_000)
                .setRebalanceTimeoutMs(30_000).setMemberId(memberId).setProtocolType("consumer");
        request.protocols().add(new JoinGroupRequest.JoinGroupRequestProtocol().setName("range")
                .setMetadata(bytes("subscription")));
        return request;
    }

    private static SyncGroupRequest syncGroup(String group, int generation, String memberId) {
        SyncGroupRequest request = new SyncGroupRequest().setGroupId(group).setGenerationId(generation)
                .setMemberId(memberId);
        request.assignments().add(new SyncGroupRequest.SyncGroupRequestAssignment().setMemberId(memberId)
                .setAssignment(bytes("assignment")));
        return request;
    }

    private static OffsetCommitRequest offsetCommit(String group, int generation, String memberId) {
        OffsetCommitRequest.OffsetCommitRequestTopic topic = new OffsetCommitRequest.OffsetCommitRequestTopic()
                .setName(TOPIC);
        topic.partitions().add(new OffsetCommitRequest.OffsetCommitRequestTopic.OffsetCommitRequestPartition()
                .setPartitionIndex(0).setCommittedOffset(COMMITTED).setCommittedMetadata(""));
        OffsetCommitRequest request = new OffsetCommitRequest().setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId);
        request.topics().add(topic);
        return request;
    }

    private static OffsetFetchRequest offsetFetch(String group, short version) {
        OffsetFetchRequest request = new OffsetFetchRequest();
        if (version >= 8) {
            OffsetFetchRequest.OffsetFetchRequestGroup wanted = new OffsetFetchRequest.OffsetFetchRequestGroup()
                    .setGroupId(group);
            OffsetFetchRequest.OffsetFetchRequestGroup.OffsetFetchRequestTopics topic =
                    new OffsetFetchRequest.OffsetFetchRequestGroup.OffsetFetchRequestTopics().setName(TOPIC);
            topic.partitionIndexes().add(0);
            wanted.topics().add(topic);
            request.groups().add(wanted);
        } else {
            OffsetFetchRequest.OffsetFetchRequestTopic topic = new OffsetFetchRequest.OffsetFetchRequestTopic()
                    .setName(TOPIC);
            topic.partitionIndexes().add(0);
            request.setGroupId(group).topics().add(topic);
        }
        return request;
    }

    private static LeaveGroupRequest leaveGroup(String group, String memberId, short version) {
        LeaveGroupRequest request = new LeaveGroupRequest().setGroupId(group);
        if (version >= 3) {
            request.members().add(new LeaveGroupRequest.MemberIdentity().setMemberId(memberId));
        } else {
            request.setMemberId(memberId);
        }
        return request;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

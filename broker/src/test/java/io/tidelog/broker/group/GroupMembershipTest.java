package io.tidelog.broker.group;

import static io.tidelog.broker.group.CoordinatorHarness.assignment;
import static io.tidelog.broker.group.CoordinatorHarness.join;
import static io.tidelog.broker.group.CoordinatorHarness.memberIds;
import static io.tidelog.broker.group.CoordinatorHarness.range;
import static io.tidelog.broker.group.CoordinatorHarness.staticJoin;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.protocol.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classic group protocol's membership rules, on a mock clock (no sleeps). */
class GroupMembershipTest {

    private static final String GROUP = "payments";

    @TempDir
    Path dir;
    private CoordinatorHarness h;

    @BeforeEach
    void start() throws IOException {
        h = new CoordinatorHarness(dir, new MockTime(), CoordinatorHarness.fastConfig());
    }

    @AfterEach
    void stop() throws IOException {
        h.close();
    }

    /** Two members join, the leader assigns, both get their share in generation 1; returns [leader, follower]. */
    private String[] formGroupOfTwo() {
        JoinGroupResult first = h.join(join(GROUP, "", range("a")));
        assertThat(first.error()).isEqualTo(Errors.NONE);
        assertThat(first.generationId()).isEqualTo(1);
        h.sync(GROUP, 1, first.memberId(), assignment(first.memberId(), "p0-5"));
        CompletableFuture<JoinGroupResult> secondJoin = h.joinAsync(join(GROUP, "", range("b")));
        h.barrier();
        assertThat(h.heartbeat(GROUP, first.memberId(), 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        CompletableFuture<JoinGroupResult> firstRejoin = h.joinAsync(join(GROUP, first.memberId(), range("a")));
        JoinGroupResult leader = CoordinatorHarness.await(firstRejoin);
        JoinGroupResult follower = CoordinatorHarness.await(secondJoin);
        assertThat(leader.generationId()).isEqualTo(2);
        assertThat(follower.generationId()).isEqualTo(2);
        assertThat(leader.leaderId()).isEqualTo(first.memberId());
        assertThat(memberIds(leader)).containsExactlyInAnyOrder(first.memberId(), follower.memberId());
        assertThat(follower.members()).isEmpty();
        CompletableFuture<SyncGroupResult> followerSync = h.syncAsync(GROUP, 2, follower.memberId(), java.util.Map.of());
        h.barrier();
        assertThat(followerSync).isNotDone();
        SyncGroupResult leaderSync = h.sync(GROUP, 2, leader.memberId(),
                assignment(leader.memberId(), "p0-2", follower.memberId(), "p3-5"));
        assertThat(new String(leaderSync.assignment())).isEqualTo("p0-2");
        assertThat(new String(CoordinatorHarness.await(followerSync).assignment())).isEqualTo("p3-5");
        return new String[] {leader.memberId(), follower.memberId()};
    }

    @Test
    void twoMembersJoinAndEachReceivesItsShareOfTheLeadersAssignmentInANewGeneration() {
        String[] members = formGroupOfTwo();
        GroupDescription description = h.describe(GROUP);
        assertThat(description.state()).isEqualTo("Stable");
        assertThat(description.protocolName()).isEqualTo("range");
        assertThat(description.members()).extracting(GroupDescription.MemberDescription::memberId)
                .containsExactlyInAnyOrder(members);
        assertThat(h.heartbeat(GROUP, members[1], 2)).isEqualTo(Errors.NONE);
    }

    @Test
    void givenANewV4MemberWhenItJoinsWithoutIdThenItGetsMemberIdRequiredAndJoinsWithThatId() {
        JoinGroupParams anonymous = new JoinGroupParams(GROUP, "", null, "consumer", range("a"), 10_000, 30_000,
                "client-1", "/127.0.0.1", true, true);
        JoinGroupResult first = h.join(anonymous);
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("client-1-");
        JoinGroupResult second = h.join(new JoinGroupParams(GROUP, first.memberId(), null, "consumer", range("a"),
                10_000, 30_000, "client-1", "/127.0.0.1", true, true));
        assertThat(second.error()).isEqualTo(Errors.NONE);
        assertThat(second.memberId()).isEqualTo(first.memberId());
        assertThat(second.leaderId()).isEqualTo(first.memberId());
    }

    @Test
    void givenAStableGroupWhenAMemberUsesAnOldGenerationThenItIsToldIllegalGeneration() {
        String[] members = formGroupOfTwo();
        assertThat(h.heartbeat(GROUP, members[0], 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(h.sync(GROUP, 1, members[0], java.util.Map.of()).error()).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(h.commit(GROUP, members[0], 1, java.util.Map.of(
                new io.tidelog.broker.replica.TopicPartition(CoordinatorHarness.TOPIC, 0), 5L)).values())
                .containsOnly(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void givenAStableGroupWhenAnUnknownMemberHeartbeatsOrSyncsThenItIsToldUnknownMemberId() {
        formGroupOfTwo();
        assertThat(h.heartbeat(GROUP, "stranger", 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.sync(GROUP, 2, "stranger", assignment("stranger", "everything")).error())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.heartbeat("no-such-group", "stranger", 0)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.describe(GROUP).state()).isEqualTo("Stable");
    }

    @Test
    void givenAMemberThatStopsHeartbeatingWhenItsSessionTimesOutThenItIsRemovedAndTheOthersRebalance() {
        String[] members = formGroupOfTwo();
        for (int i = 0; i < 3; i++) {
            h.advance(3_000);
            assertThat(h.heartbeat(GROUP, members[0], 2)).isEqualTo(Errors.NONE);
        }
        h.advance(3_000); // members[1] has now been silent for 12 s, past its 10 s session
        assertThat(h.heartbeat(GROUP, members[0], 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(h.describe(GROUP).members()).extracting(GroupDescription.MemberDescription::memberId)
                .containsExactly(members[0]);
        JoinGroupResult rejoined = h.join(join(GROUP, members[0], range("a")));
        assertThat(rejoined.generationId()).isEqualTo(3);
        assertThat(memberIds(rejoined)).containsExactly(members[0]);
        assertThat(h.heartbeat(GROUP, members[1], 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void givenAStableGroupWhenAMemberLeavesThenTheRebalanceStartsAtOnce() {
        String[] members = formGroupOfTwo();
        LeaveGroupResult left = h.leave(GROUP, new MemberIdentity(members[1], null));
        assertThat(left.members()).extracting(LeaveGroupResult.MemberResult::error).containsExactly(Errors.NONE);
        assertThat(h.describe(GROUP).state()).isEqualTo("PreparingRebalance");
        assertThat(h.heartbeat(GROUP, members[0], 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResult rejoined = h.join(join(GROUP, members[0], range("a")));
        assertThat(rejoined.generationId()).isEqualTo(3);
        assertThat(h.leave(GROUP, new MemberIdentity(members[1], null)).members().get(0).error())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void givenAStaticMemberWhenItRejoinsWithUnchangedMetadataThenItKeepsGenerationAndAssignmentAndItsOldIdIsFenced() {
        JoinGroupResult first = h.join(staticJoin(GROUP, "", "instance-1", range("a")));
        h.sync(GROUP, 1, first.memberId(), assignment(first.memberId(), "all"));
        JoinGroupResult restarted = h.join(staticJoin(GROUP, "", "instance-1", range("a")));
        assertThat(restarted.error()).isEqualTo(Errors.NONE);
        assertThat(restarted.memberId()).isNotEqualTo(first.memberId());
        assertThat(restarted.generationId()).isEqualTo(1);
        assertThat(h.describe(GROUP).state()).isEqualTo("Stable");
        assertThat(new String(h.sync(GROUP, 1, restarted.memberId(), java.util.Map.of()).assignment())).isEqualTo("all");
        Errors fenced = CoordinatorHarness.<Errors>call(
                done -> h.coordinator.heartbeat(GROUP, first.memberId(), "instance-1", 1, done));
        assertThat(fenced).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void givenAStaticMemberWhenItRejoinsWithNewMetadataForTheSameProtocolThenNoRebalanceHappens() {
        JoinGroupResult first = h.join(staticJoin(GROUP, "", "instance-1", range("owned: p0-p5")));
        h.sync(GROUP, 1, first.memberId(), assignment(first.memberId(), "all"));
        JoinGroupResult restarted = h.join(staticJoin(GROUP, "", "instance-1", range("owned: nothing")));
        assertThat(restarted.error()).isEqualTo(Errors.NONE);
        assertThat(restarted.generationId()).isEqualTo(1);
        assertThat(restarted.skipAssignment()).isTrue(); // the leader keeps the assignment it made
        assertThat(new String(restarted.members().get(0).metadata())).isEqualTo("owned: nothing");
        assertThat(h.describe(GROUP).state()).isEqualTo("Stable");
    }

    @Test
    void givenAStaticMemberWhenItRejoinsPreferringAnotherProtocolThenTheGroupRebalancesOntoIt() {
        JoinGroupResult first = h.join(staticJoin(GROUP, "", "instance-1", range("a")));
        h.sync(GROUP, 1, first.memberId(), assignment(first.memberId(), "all"));
        JoinGroupResult restarted = h.join(staticJoin(GROUP, "", "instance-1",
                List.of(new GroupProtocol("roundrobin", "b".getBytes()), new GroupProtocol("range", "a".getBytes()))));
        assertThat(restarted.error()).isEqualTo(Errors.NONE);
        assertThat(restarted.generationId()).isEqualTo(2);
        assertThat(restarted.protocolName()).isEqualTo("roundrobin");
    }

    @Test
    void givenAStaticLeaderOfAnOldClientWhenItRejoinsThenTheGroupRebalancesSoItCanAssignAgain() {
        JoinGroupResult first = h.join(staticJoin(GROUP, "", "instance-1", range("a")));
        h.sync(GROUP, 1, first.memberId(), assignment(first.memberId(), "all"));
        JoinGroupResult restarted = h.join(new JoinGroupParams(GROUP, "", "instance-1", "consumer", range("a"), 10_000,
                30_000, "client", "/127.0.0.1", true, false));
        assertThat(restarted.generationId()).isEqualTo(2);
        assertThat(restarted.members()).hasSize(1);
    }

    @Test
    void givenMembersWithNoCommonProtocolWhenTheSecondJoinsThenItIsRefusedWithInconsistentGroupProtocol() {
        formGroupOfTwo();
        JoinGroupResult other = h.join(join(GROUP, "", List.of(new GroupProtocol("sticky", new byte[0]))));
        assertThat(other.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(h.describe(GROUP).state()).isEqualTo("Stable");
    }

    @Test
    void givenAJoinWithoutProtocolsThenItIsRefusedWithInconsistentGroupProtocolAndNoGroupIsCreated() {
        JoinGroupResult result = h.join(join("fresh", "", List.of()));
        assertThat(result.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(h.describe("fresh").state()).isEqualTo("Dead");
    }

    @Test
    void givenAConsumerGroupWhenAMemberOfAnotherProtocolTypeJoinsThenItIsRefused() {
        formGroupOfTwo();
        JoinGroupResult connect = h.join(new JoinGroupParams(GROUP, "", null, "connect", range("a"), 10_000, 30_000,
                "worker", "/127.0.0.1", false, true));
        assertThat(connect.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void givenTheInitialRebalanceDelayWhenMembersKeepArrivingThenTheFirstGenerationWaitsForThem() throws IOException {
        h.close();
        h = new CoordinatorHarness(dir, h.time, CoordinatorHarness.fastConfig().withInitialRebalanceDelayMs(3_000));
        CompletableFuture<JoinGroupResult> first = h.joinAsync(join(GROUP, "", range("a")));
        h.advance(2_000);
        assertThat(first).isNotDone();
        CompletableFuture<JoinGroupResult> second = h.joinAsync(join(GROUP, "", range("b")));
        h.advance(1_500); // the first delay ended with a newcomer: extended by another 3 s
        assertThat(first).isNotDone();
        h.advance(3_000);
        assertThat(CoordinatorHarness.await(first).generationId()).isEqualTo(1);
        assertThat(CoordinatorHarness.await(second).generationId()).isEqualTo(1);
        assertThat(CoordinatorHarness.await(first).members().size() + CoordinatorHarness.await(second).members().size())
                .isEqualTo(2);
    }

    @Test
    void givenASessionTimeoutOutsideTheBrokersRangeThenTheJoinIsRefused() {
        JoinGroupResult result = h.join(new JoinGroupParams(GROUP, "", null, "consumer", range("a"), 1_000, 30_000,
                "c", "/127.0.0.1", false, true));
        assertThat(result.error()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void givenAFullGroupWhenAnotherMemberJoinsThenItIsToldTheGroupIsFull() throws IOException {
        h.close();
        h = new CoordinatorHarness(dir, h.time, CoordinatorHarness.fastConfig().withMaxSize(1));
        assertThat(h.join(join(GROUP, "", range("a"))).error()).isEqualTo(Errors.NONE);
        assertThat(h.join(join(GROUP, "", range("b"))).error()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
    }

    @Test
    void givenHugeMetadataWithinTheBatchLimitThenTheGroupStabilisesAndOverItTheSyncFailsWithoutHarmingOthers() {
        byte[] big = new byte[200_000];
        JoinGroupResult ok = h.join(join(GROUP, "", List.of(new GroupProtocol("range", big))));
        assertThat(ok.members().get(0).metadata()).hasSize(200_000);
        assertThat(h.sync(GROUP, 1, ok.memberId(), java.util.Map.of(ok.memberId(), big)).error()).isEqualTo(Errors.NONE);

        byte[] huge = new byte[2_000_000];
        JoinGroupResult tooBig = h.join(join("huge", "", List.of(new GroupProtocol("range", huge))));
        assertThat(tooBig.error()).isEqualTo(Errors.NONE);
        SyncGroupResult failed = h.sync("huge", 1, tooBig.memberId(), java.util.Map.of(tooBig.memberId(), huge));
        assertThat(failed.error()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(h.describe("huge").state()).isEqualTo("PreparingRebalance");
        assertThat(h.heartbeat(GROUP, ok.memberId(), 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void givenSeveralGroupsThenListGroupsFiltersByState() {
        formGroupOfTwo();
        h.join(join("lonely", "", range("a")));
        assertThat(h.list(Set.of())).extracting(GroupOverview::groupId).containsExactly("lonely", GROUP);
        assertThat(h.list(Set.of(GroupState.STABLE))).extracting(GroupOverview::groupId).containsExactly(GROUP);
        assertThat(h.list(Set.of(GroupState.COMPLETING_REBALANCE))).extracting(GroupOverview::groupId)
                .containsExactly("lonely");
    }

    @Test
    void givenALeaderThatNeverSyncsWhenTheRebalanceTimeoutPassesThenItIsRemovedAndTheOthersRebalance() {
        String[] members = formGroupOfTwo();
        h.leave(GROUP, new MemberIdentity(members[1], null));
        JoinGroupResult alone = h.join(join(GROUP, members[0], range("a")));
        assertThat(alone.generationId()).isEqualTo(3);
        h.advance(31_000);
        assertThat(h.describe(GROUP).state()).isEqualTo("Empty");
    }
}

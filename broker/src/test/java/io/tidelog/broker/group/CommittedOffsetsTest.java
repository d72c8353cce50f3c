package io.tidelog.broker.group;

import static io.tidelog.broker.group.CoordinatorHarness.TOPIC;
import static io.tidelog.broker.group.CoordinatorHarness.assignment;
import static io.tidelog.broker.group.CoordinatorHarness.join;
import static io.tidelog.broker.group.CoordinatorHarness.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OffsetCommit / OffsetFetch rules and durability of commits in __consumer_offsets. */
class CommittedOffsetsTest {

    private static final String GROUP = "billing";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

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

    private static Map<TopicPartition, Long> offsets(Object... partitionThenOffset) {
        Map<TopicPartition, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < partitionThenOffset.length; i += 2) {
            map.put((TopicPartition) partitionThenOffset[i], ((Number) partitionThenOffset[i + 1]).longValue());
        }
        return map;
    }

    /** One member in generation 1, Stable. */
    private String stableMember() {
        JoinGroupResult joined = h.join(join(GROUP, "", range("a")));
        h.sync(GROUP, 1, joined.memberId(), assignment(joined.memberId(), "all"));
        return joined.memberId();
    }

    @Test
    void givenAMemberWhenItCommitsThenFetchReturnsTheOffsetsWithEpochAndMetadata() {
        String member = stableMember();
        long logEndBefore = h.offsetsLogEndOffset(GROUP);
        assertThat(h.commit(GROUP, member, 1, offsets(P0, 42, P1, 7)).values()).containsOnly(Errors.NONE);
        assertThat(h.offsetsLogEndOffset(GROUP)).isEqualTo(logEndBefore + 2);
        OffsetFetchResult fetched = h.fetch(GROUP, List.of(P0, P1));
        assertThat(fetched.partitions()).extracting(OffsetFetchResult.PartitionOffset::offset).containsExactly(42L, 7L);
        assertThat(fetched.partitions().get(0).leaderEpoch()).isEqualTo(3);
        assertThat(fetched.partitions().get(0).metadata()).isEqualTo("meta-42");
    }

    @Test
    void givenNoCommitThenFetchAnswersMinusOneWithoutError() {
        OffsetFetchResult unknownGroup = h.fetch("nobody", List.of(P0));
        assertThat(unknownGroup.error()).isEqualTo(Errors.NONE);
        assertThat(unknownGroup.partitions().get(0).offset()).isEqualTo(-1L);
        assertThat(unknownGroup.partitions().get(0).error()).isEqualTo(Errors.NONE);
        assertThat(h.fetch("nobody", null).partitions()).isEmpty();
    }

    @Test
    void givenACommitToAnUnknownPartitionThenOnlyThatPartitionFailsAndNothingElseIsDisturbed() {
        String member = stableMember();
        TopicPartition missing = new TopicPartition(TOPIC, 99);
        TopicPartition noTopic = new TopicPartition("no-such-topic", 0);
        Map<TopicPartition, Errors> result = h.commit(GROUP, member, 1, offsets(P0, 5, missing, 5, noTopic, 1));
        assertThat(result).containsEntry(P0, Errors.NONE).containsEntry(missing, Errors.UNKNOWN_TOPIC_OR_PARTITION)
                .containsEntry(noTopic, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(h.fetch(GROUP, null).partitions()).extracting(OffsetFetchResult.PartitionOffset::topicPartition)
                .containsExactly(P0);
        assertThat(h.describe(GROUP).state()).isEqualTo("Stable");
    }

    @Test
    void givenAStableGroupWhenANonMemberCommitsThenItIsRefusedAndTheOffsetsStay() {
        String member = stableMember();
        h.commit(GROUP, member, 1, offsets(P0, 10));
        assertThat(h.commit(GROUP, "", -1, offsets(P0, 99)).values()).containsOnly(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.commit(GROUP, "intruder", 1, offsets(P0, 99)).values()).containsOnly(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.commit(GROUP, member, 0, offsets(P0, 99)).values()).containsOnly(Errors.ILLEGAL_GENERATION);
        assertThat(h.committed(GROUP, P0)).isEqualTo(10L);
    }

    @Test
    void givenAStandaloneConsumerThenItMayCommitToAGroupWithoutMembers() {
        assertThat(h.commit("standalone", "", -1, offsets(P1, 3)).values()).containsOnly(Errors.NONE);
        assertThat(h.committed("standalone", P1)).isEqualTo(3L);
        assertThat(h.describe("standalone").state()).isEqualTo("Empty");
        assertThat(h.commit("never-seen", "someone", 4, offsets(P1, 3)).values())
                .containsOnly(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void givenAGroupCompletingARebalanceWhenAMemberCommitsThenItIsToldRebalanceInProgress() {
        JoinGroupResult joined = h.join(join(GROUP, "", range("a")));
        assertThat(h.describe(GROUP).state()).isEqualTo("CompletingRebalance");
        assertThat(h.commit(GROUP, joined.memberId(), 1, offsets(P0, 1)).values())
                .containsOnly(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void givenCommittedOffsetsWhenTheBrokerRestartsCleanlyThenTheyAndTheGenerationAreBack() throws IOException {
        String member = stableMember();
        h.commit(GROUP, member, 1, offsets(P0, 42, P1, 7));
        h.commit(GROUP, member, 1, offsets(P0, 43));
        h = h.restart();
        assertThat(h.committed(GROUP, P0)).isEqualTo(43L);
        assertThat(h.committed(GROUP, P1)).isEqualTo(7L);
        GroupDescription restored = h.describe(GROUP);
        assertThat(restored.state()).isEqualTo("Stable");
        assertThat(restored.members()).extracting(GroupDescription.MemberDescription::memberId).containsExactly(member);
        assertThat(new String(restored.members().get(0).assignment())).isEqualTo("all");
        assertThat(h.heartbeat(GROUP, member, 1)).isEqualTo(Errors.NONE);
        assertThat(h.commit(GROUP, member, 1, offsets(P0, 44)).values()).containsOnly(Errors.NONE);
    }

    @Test
    void givenCommittedOffsetsWhenTheBrokerCrashesThenTheyAreBackAfterRecovery() throws IOException {
        String member = stableMember();
        for (int i = 1; i <= 50; i++) {
            h.commit(GROUP, member, 1, offsets(P0, i, P1, 1000 + i));
        }
        h = h.crashAndRestart();
        assertThat(h.committed(GROUP, P0)).isEqualTo(50L);
        assertThat(h.committed(GROUP, P1)).isEqualTo(1050L);
    }

    @Test
    void givenAnEmptyGroupWhenRetentionPassesThenItsOffsetsExpireAndStayExpiredAfterRestart() throws IOException {
        h.close();
        h = new CoordinatorHarness(dir, h.time, CoordinatorHarness.fastConfig().withOffsetsRetention(60_000, 1_000));
        String member = stableMember();
        h.commit(GROUP, member, 1, offsets(P0, 42));
        h.commit("standalone", "", -1, offsets(P1, 9));
        h.leave(GROUP, new MemberIdentity(member, null));
        assertThat(h.describe(GROUP).state()).isEqualTo("Empty");
        h.advance(30_000);
        h.commit("standalone", "", -1, offsets(P0, 10)); // a fresh commit keeps its own clock
        h.advance(31_000);
        assertThat(h.committed(GROUP, P0)).isEqualTo(-1L);
        assertThat(h.describe(GROUP).state()).isEqualTo("Dead");
        assertThat(h.committed("standalone", P1)).isEqualTo(-1L);
        assertThat(h.committed("standalone", P0)).isEqualTo(10L);
        h = h.restart();
        assertThat(h.committed(GROUP, P0)).isEqualTo(-1L);
        assertThat(h.committed("standalone", P1)).isEqualTo(-1L);
        assertThat(h.committed("standalone", P0)).isEqualTo(10L);
    }

    @Test
    void givenAStableGroupThenItsOffsetsNeverExpire() throws IOException {
        h.close();
        h = new CoordinatorHarness(dir, h.time, CoordinatorHarness.fastConfig().withOffsetsRetention(60_000, 1_000));
        String member = stableMember();
        h.commit(GROUP, member, 1, offsets(P0, 42));
        for (int i = 0; i < 10; i++) {
            h.advance(9_000);
            assertThat(h.heartbeat(GROUP, member, 1)).isEqualTo(Errors.NONE);
        }
        assertThat(h.committed(GROUP, P0)).isEqualTo(42L);
    }

    @Test
    void givenADeletedTopicThenEveryGroupForgetsItsOffsetsAlsoAfterRestart() throws IOException {
        String member = stableMember();
        h.commit(GROUP, member, 1, offsets(P0, 42));
        h.commit("standalone", "", -1, offsets(P1, 9));
        h.coordinator.onMetadataChange(h.image, h.image.withoutTopic(TOPIC));
        h.barrier();
        h.barrier();
        assertThat(h.committed(GROUP, P0)).isEqualTo(-1L);
        assertThat(h.committed("standalone", P1)).isEqualTo(-1L);
        assertThat(h.describe(GROUP).state()).isEqualTo("Stable");
        h = h.restart();
        assertThat(h.committed(GROUP, P0)).isEqualTo(-1L);
        assertThat(h.committed("standalone", P1)).isEqualTo(-1L);
    }

    @Test
    void givenMetadataLargerThanTheLimitThenThatPartitionIsRefused() {
        String member = stableMember();
        Map<TopicPartition, OffsetAndMetadata> commit = Map.of(P0,
                new OffsetAndMetadata(1, -1, "x".repeat(5000), -1));
        Map<TopicPartition, Errors> result = CoordinatorHarness.call(
                done -> h.coordinator.commitOffsets(GROUP, member, null, 1, commit, done));
        assertThat(result).containsEntry(P0, Errors.OFFSET_METADATA_TOO_LARGE);
        assertThat(h.committed(GROUP, P0)).isEqualTo(-1L);
    }
}

package io.tidelog.broker.group;

import static io.tidelog.broker.group.CoordinatorHarness.TOPIC;
import static io.tidelog.broker.group.CoordinatorHarness.assignment;
import static io.tidelog.broker.group.CoordinatorHarness.call;
import static io.tidelog.broker.group.CoordinatorHarness.join;
import static io.tidelog.broker.group.CoordinatorHarness.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeleteGroups and OffsetDelete in the coordinator: who may be deleted, and that deletions are durable. */
class GroupDeletionTest {

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

    private Map<String, Errors> delete(String... groups) {
        return call(done -> h.coordinator.deleteGroups(List.of(groups), done));
    }

    private OffsetDeleteResult deleteOffsets(String group, TopicPartition... partitions) {
        return call(done -> h.coordinator.deleteOffsets(group, List.of(partitions), done));
    }

    private String stableMember() {
        JoinGroupResult joined = h.join(join(GROUP, "", range("a")));
        h.sync(GROUP, 1, joined.memberId(), assignment(joined.memberId(), "all"));
        return joined.memberId();
    }

    @Test
    void givenAnEmptyGroupWithOffsets_whenDeleted_thenItsOffsetsAndTheGroupAreGoneAlsoAfterACrash() throws IOException {
        h.commit(GROUP, "", -1, Map.of(P0, 5L, P1, 6L));

        assertThat(delete(GROUP)).containsExactly(Map.entry(GROUP, Errors.NONE));

        assertThat(h.committed(GROUP, P0)).isEqualTo(-1L);
        assertThat(h.list(Set.of())).extracting(GroupOverview::groupId).doesNotContain(GROUP);
        h = h.crashAndRestart();
        assertThat(h.committed(GROUP, P0)).isEqualTo(-1L);
        assertThat(h.committed(GROUP, P1)).isEqualTo(-1L);
        assertThat(h.list(Set.of())).extracting(GroupOverview::groupId).doesNotContain(GROUP);
    }

    @Test
    void givenAGroupThatHadMembers_whenDeletedAfterTheyLeft_thenARestartDoesNotListItAsAnEmptyGroup()
            throws IOException {
        String member = stableMember();
        h.commit(GROUP, member, 1, Map.of(P0, 5L));
        h.leave(GROUP, new MemberIdentity(member, null));

        assertThat(delete(GROUP).get(GROUP)).isEqualTo(Errors.NONE);

        h = h.restart();
        assertThat(h.list(Set.of())).extracting(GroupOverview::groupId).doesNotContain(GROUP);
        assertThat(h.describe(GROUP).state()).isEqualTo("Dead");
    }

    @Test
    void givenACommitStillBeingWritten_whenTheGroupIsDeleted_thenThatCommitDoesNotSurviveARestart()
            throws IOException {
        h.commit(GROUP, "", -1, Map.of(P0, 5L));
        CompletableFuture<Map<TopicPartition, Errors>> inFlight = new CompletableFuture<>();
        CompletableFuture<Map<String, Errors>> deleted = new CompletableFuture<>();
        Map<TopicPartition, OffsetAndMetadata> commit = Map.of(P1, new OffsetAndMetadata(9, -1, "", -1));

        // Both are queued on the owner thread before the commit's append completes there.
        h.coordinator.commitOffsets(GROUP, "", null, -1, commit, inFlight::complete);
        h.coordinator.deleteGroups(List.of(GROUP), deleted::complete);

        assertThat(CoordinatorHarness.await(deleted)).containsEntry(GROUP, Errors.NONE);
        CoordinatorHarness.await(inFlight);
        assertThat(h.committed(GROUP, P1)).isEqualTo(-1L);
        h = h.crashAndRestart();
        assertThat(h.committed(GROUP, P1)).isEqualTo(-1L);
        assertThat(h.committed(GROUP, P0)).isEqualTo(-1L);
    }

    @Test
    void givenAGroupWithAMember_whenDeleted_thenNonEmptyGroupAndItsOffsetsStay() {
        String member = stableMember();
        h.commit(GROUP, member, 1, Map.of(P0, 5L));

        assertThat(delete(GROUP).get(GROUP)).isEqualTo(Errors.NON_EMPTY_GROUP);

        assertThat(h.committed(GROUP, P0)).isEqualTo(5L);
        assertThat(h.describe(GROUP).state()).isEqualTo("Stable");
    }

    @Test
    void givenUnknownEmptyAndRepeatedIds_whenDeleted_thenEachDistinctIdIsAnsweredOnceInOrder() {
        h.commit(GROUP, "", -1, Map.of(P0, 5L));

        Map<String, Errors> answers = delete("ghost", GROUP, "", GROUP);

        assertThat(answers).containsExactly(Map.entry("ghost", Errors.GROUP_ID_NOT_FOUND),
                Map.entry(GROUP, Errors.NONE), Map.entry("", Errors.INVALID_GROUP_ID));
    }

    @Test
    void givenADeletedGroup_whenDeletedAgain_thenGroupIdNotFound() {
        h.commit(GROUP, "", -1, Map.of(P0, 5L));
        delete(GROUP);

        assertThat(delete(GROUP).get(GROUP)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void givenAShutDownCoordinator_whenDeleting_thenNotCoordinator() {
        h.commit(GROUP, "", -1, Map.of(P0, 5L));
        h.coordinator.shutdown();

        assertThat(delete(GROUP).get(GROUP)).isEqualTo(Errors.NOT_COORDINATOR);
    }

    @Test
    void givenAnEmptyGroup_whenOneOffsetIsDeleted_thenOnlyThatOneIsGoneAlsoAfterACrash() throws IOException {
        h.commit(GROUP, "", -1, Map.of(P0, 5L, P1, 6L));

        OffsetDeleteResult result = deleteOffsets(GROUP, P0);

        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(result.partitions()).containsExactly(Map.entry(P0, Errors.NONE));
        h = h.crashAndRestart();
        assertThat(h.committed(GROUP, P0)).isEqualTo(-1L);
        assertThat(h.committed(GROUP, P1)).isEqualTo(6L);
    }

    @Test
    void givenAnActiveConsumerGroupWhoseSubscriptionsCannotBeRead_whenDeletingOffsets_thenTreatedAsSubscribed() {
        String member = stableMember(); // protocol type "consumer", but metadata "a" is no subscription
        h.commit(GROUP, member, 1, Map.of(P0, 5L));

        OffsetDeleteResult result = deleteOffsets(GROUP, P0);

        assertThat(result.partitions().get(P0)).isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC);
        assertThat(h.committed(GROUP, P0)).isEqualTo(5L);
        assertThat(deleteOffsets("ghost", P0).error()).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }
}

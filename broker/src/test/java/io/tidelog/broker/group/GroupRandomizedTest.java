package io.tidelog.broker.group;

import static io.tidelog.broker.group.CoordinatorHarness.join;
import static io.tidelog.broker.group.CoordinatorHarness.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.protocol.Errors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random interleavings of joins, syncs, heartbeats, leaves and clock jumps by a few members,
 * checking the protocol's invariants after every step. Seeded; {@code -Dtidelog.seed=N} replays one.
 */
class GroupRandomizedTest {

    private static final String GROUP = "random";

    @TempDir
    Path dir;

    static List<Long> seeds() {
        String fixed = System.getProperty("tidelog.seed");
        if (fixed != null) {
            return List.of(Long.parseLong(fixed));
        }
        List<Long> seeds = new ArrayList<>();
        long base = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            seeds.add(base + i);
        }
        return seeds;
    }

    /** What one simulated client believes. */
    private static final class Client {
        String memberId = "";
        int generation = -1;
        boolean leader;
        List<String> generationMembers = List.of();
        CompletableFuture<JoinGroupResult> join;
        CompletableFuture<SyncGroupResult> sync;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void protocolInvariantsHoldUnderRandomInterleavings(long seed) throws Exception {
        Random random = new Random(seed);
        String context = "seed " + seed + " (replay with -Dtidelog.seed=" + seed + ")";
        try (CoordinatorHarness h = new CoordinatorHarness(dir.resolve("s" + seed), new MockTime(),
                CoordinatorHarness.fastConfig())) {
            List<Client> clients = List.of(new Client(), new Client(), new Client());
            Map<Integer, String> leaderOfGeneration = new HashMap<>();
            Map<Integer, Map<String, String>> assignmentOfGeneration = new HashMap<>();
            int highestGeneration = 0;
            for (int step = 0; step < 150; step++) {
                Client c = clients.get(random.nextInt(clients.size()));
                switch (random.nextInt(6)) {
                    case 0, 1 -> {
                        if (c.join == null) {
                            c.join = h.joinAsync(join(GROUP, c.memberId, range("m")));
                        }
                    }
                    case 2 -> {
                        if (c.generation >= 0 && c.sync == null) {
                            Map<String, byte[]> assignments = new HashMap<>();
                            if (c.leader) {
                                Map<String, String> plan = new HashMap<>();
                                for (String member : c.generationMembers) {
                                    plan.put(member, "for " + member + " in " + c.generation);
                                    assignments.put(member, plan.get(member).getBytes());
                                }
                                assignmentOfGeneration.putIfAbsent(c.generation, plan);
                            }
                            c.sync = h.syncAsync(GROUP, c.generation, c.memberId, assignments);
                        }
                    }
                    case 3 -> {
                        if (!c.memberId.isEmpty()) {
                            Errors error = h.heartbeat(GROUP, c.memberId, c.generation);
                            assertThat(error).as(context).isIn(Errors.NONE, Errors.REBALANCE_IN_PROGRESS,
                                    Errors.ILLEGAL_GENERATION, Errors.UNKNOWN_MEMBER_ID);
                            if (error == Errors.UNKNOWN_MEMBER_ID) {
                                c.memberId = "";
                                c.generation = -1;
                            }
                        }
                    }
                    case 4 -> {
                        if (!c.memberId.isEmpty() && random.nextInt(4) == 0) {
                            h.leave(GROUP, new MemberIdentity(c.memberId, null));
                            c.memberId = "";
                            c.generation = -1;
                        }
                    }
                    default -> h.advance(random.nextInt(12_000));
                }
                h.barrier();
                for (Client client : clients) {
                    if (client.join != null && client.join.isDone()) {
                        JoinGroupResult result = client.join.get();
                        client.join = null;
                        if (result.error() == Errors.NONE) {
                            assertThat(result.generationId()).as(context).isGreaterThanOrEqualTo(client.generation);
                            String leader = leaderOfGeneration.putIfAbsent(result.generationId(), result.leaderId());
                            assertThat(leader == null ? result.leaderId() : leader)
                                    .as("one leader per generation, %s", context).isEqualTo(result.leaderId());
                            client.memberId = result.memberId();
                            client.generation = result.generationId();
                            client.leader = result.leaderId().equals(result.memberId());
                            client.generationMembers = CoordinatorHarness.memberIds(result);
                            if (client.leader) {
                                assertThat(client.generationMembers).as(context).contains(result.memberId());
                            }
                            highestGeneration = Math.max(highestGeneration, result.generationId());
                        } else if (result.error() == Errors.UNKNOWN_MEMBER_ID) {
                            client.memberId = "";
                            client.generation = -1;
                        }
                    }
                    if (client.sync != null && client.sync.isDone()) {
                        SyncGroupResult result = client.sync.get();
                        client.sync = null;
                        if (result.error() == Errors.NONE) {
                            Map<String, String> plan = assignmentOfGeneration.get(client.generation);
                            assertThat(plan).as("a sync answered before the leader assigned, %s", context)
                                    .isNotNull();
                            assertThat(new String(result.assignment())).as(context)
                                    .isEqualTo(plan.getOrDefault(client.memberId, ""));
                        }
                    }
                }
                GroupDescription group = h.describe(GROUP);
                switch (group.state()) {
                    case "Stable", "CompletingRebalance" -> assertThat(group.members()).as(context).isNotEmpty();
                    case "Empty", "Dead" -> assertThat(group.members()).as(context).isEmpty();
                    default -> {
                    }
                }
                assertThat(group.members()).extracting(GroupDescription.MemberDescription::memberId)
                        .as("member ids are unique, %s", context).doesNotHaveDuplicates();
            }
            // Whatever happened, every member leaving empties the group.
            for (GroupDescription.MemberDescription member : h.describe(GROUP).members()) {
                h.leave(GROUP, new MemberIdentity(member.memberId(), null));
            }
            h.advance(60_000);
            assertThat(h.describe(GROUP).state()).as(context).isIn("Empty", "Dead");
        }
    }
}

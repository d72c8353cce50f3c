package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.client.common.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static members (group.instance.id): a quick restart keeps its partitions without a rebalance. */
class StaticMembershipTest {

    @TempDir
    static Path dataDir;
    static TestCluster cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = TestCluster.start(dataDir);
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    private static GroupWorker member(String instance, String topic) {
        return new GroupWorker(instance, cluster.consumer(GroupMembershipTest.groupSettings("g-static",
                Map.of(ConsumerConfig.GROUP_INSTANCE_ID, instance, ConsumerConfig.SESSION_TIMEOUT_MS, 20_000))),
                List.of(topic));
    }

    @Test
    void givenAStaticMemberThatRestartsWithinTheSessionTimeoutThenItGetsTheSamePartitionsAndTheOtherSeesNoRebalance()
            throws Exception {
        String topic = "static";
        cluster.createTopic(topic, 4);
        GroupWorker a = member("a", topic);
        GroupWorker b = member("b", topic);
        List<GroupWorker> running = new ArrayList<>(List.of(a, b));
        try {
            GroupMembershipTest.awaitSplit(topic, 4, running);
            Set<TopicPartition> before = b.owned.get();
            int eventsOfA = a.events.size();

            b.close();
            running.remove(b);
            GroupWorker restarted = member("b", topic);
            running.add(restarted);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(restarted.owned.get()).isEqualTo(before));

            assertThat(a.events).hasSize(eventsOfA);
            GroupMembershipTest.produce(cluster, topic, 4, 5, "s");
            await().atMost(Duration.ofSeconds(30)).until(() -> a.records.size() + restarted.records.size() >= 20);
            assertThat(a.events).hasSize(eventsOfA);
        } finally {
            for (GroupWorker w : running) {
                w.close();
            }
        }
    }
}

package io.tidelog.perf.load;

import io.tidelog.client.admin.NewTopic;
import io.tidelog.client.admin.PartitionDescription;
import io.tidelog.client.admin.TidelogAdmin;
import io.tidelog.client.admin.TopicDescription;
import io.tidelog.client.admin.TopicExistsException;
import io.tidelog.client.admin.UnknownTopicException;
import io.tidelog.client.common.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The workload's topic, through Tidelog's admin client (standard CreateTopics and Metadata, so
 * it works against any Kafka-protocol broker). Creating is idempotent: an existing topic with the
 * workload's partition count is used as it is; one with a different count is an error rather
 * than a silently different benchmark.
 */
final class TopicSetup {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final long LEADER_WAIT_NANOS = Duration.ofSeconds(30).toNanos();

    private TopicSetup() {
    }

    /** Creates the topic unless it exists with the same partition count. */
    static void ensure(Workload w) {
        try (TidelogAdmin admin = new TidelogAdmin(w.bootstrapServers(), CALL_TIMEOUT)) {
            try {
                admin.createTopic(new NewTopic(w.topic(), w.partitions(), w.replicationFactor()));
            } catch (TopicExistsException e) {
                int existing = admin.describeTopics(List.of(w.topic())).get(w.topic()).partitions().size();
                if (existing != w.partitions()) {
                    throw new WorkloadException(Workload.PARTITIONS, Integer.toString(w.partitions()),
                            "topic '" + w.topic() + "' already exists with " + existing
                                    + " partitions; delete it, pick another topic, or set partitions=" + existing);
                }
            }
        }
    }

    /** The topic's partitions once each has a leader (waits up to 30 s for a new topic's leaders). */
    static List<TopicPartition> partitions(Workload w, NanoClock clock) throws InterruptedException {
        long deadline = clock.nanoTime() + LEADER_WAIT_NANOS;
        try (TidelogAdmin admin = new TidelogAdmin(w.bootstrapServers(), CALL_TIMEOUT)) {
            while (true) {
                TopicDescription d;
                try {
                    Map<String, TopicDescription> all = admin.describeTopics(List.of(w.topic()));
                    d = all.get(w.topic());
                } catch (UnknownTopicException e) {
                    throw new WorkloadException("topic '" + w.topic() + "' does not exist on " + w.bootstrapServers()
                            + "; create it, or let the tool create it (drop --no-create-topic)");
                }
                List<TopicPartition> partitions = new ArrayList<>();
                boolean allLed = !d.partitions().isEmpty();
                for (PartitionDescription p : d.partitions()) {
                    partitions.add(new TopicPartition(w.topic(), p.partition()));
                    allLed &= p.leader() >= 0;
                }
                if (allLed) {
                    return partitions;
                }
                if (clock.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("topic '" + w.topic() + "' has partitions without a leader after 30 s");
                }
                clock.parkUntil(clock.nanoTime() + Duration.ofMillis(100).toNanos());
            }
        }
    }
}

package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our range and roundrobin assignors against Kafka's own (the oracle): random groups, with
 * static and dynamic members and uneven subscriptions, must be split identically, so a group
 * mixing our consumer and Kafka's assigns the same way whichever member leads.
 */
class AssignorsTest {

    static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @ParameterizedTest
    @ValueSource(strings = {Assignors.RANGE, Assignors.ROUND_ROBIN})
    void givenRandomGroupsWhenAssignedThenTheSplitEqualsKafkasAssignor(String protocol) {
        Random random = new Random(SEED);
        for (int round = 0; round < 300; round++) {
            int topicCount = 1 + random.nextInt(4);
            Map<String, Integer> partitions = new HashMap<>();
            for (int t = 0; t < topicCount; t++) {
                partitions.put("t" + t, 1 + random.nextInt(9));
            }
            int memberCount = 1 + random.nextInt(6);
            List<Assignors.Member> ours = new ArrayList<>();
            Map<String, Subscription> theirs = new HashMap<>();
            for (int m = 0; m < memberCount; m++) {
                Set<String> topics = new HashSet<>();
                for (String topic : partitions.keySet()) {
                    if (random.nextInt(3) > 0) {
                        topics.add(topic);
                    }
                }
                if (topics.isEmpty()) {
                    topics.add("t0");
                }
                String memberId = "consumer-" + Integer.toHexString(random.nextInt());
                String instanceId = random.nextInt(4) == 0 ? "instance-" + random.nextInt(100) + "-" + m : null;
                ours.add(new Assignors.Member(memberId, instanceId, topics));
                Subscription subscription = new Subscription(new ArrayList<>(topics));
                subscription.setGroupInstanceId(Optional.ofNullable(instanceId));
                theirs.put(memberId, subscription);
            }
            Map<String, List<org.apache.kafka.common.TopicPartition>> expected = Assignors.RANGE.equals(protocol)
                    ? new RangeAssignor().assign(partitions, theirs)
                    : new RoundRobinAssignor().assign(partitions, theirs);
            Map<String, List<TopicPartition>> actual = Assignors.assign(protocol, ours, partitions);
            for (Assignors.Member member : ours) {
                List<TopicPartition> converted = new ArrayList<>();
                for (org.apache.kafka.common.TopicPartition tp : expected.get(member.memberId())) {
                    converted.add(new TopicPartition(tp.topic(), tp.partition()));
                }
                assertThat(new HashSet<>(actual.get(member.memberId())))
                        .as("round %d, member %s, protocol %s, seed %d (-Dtidelog.seed=%d)", round, member, protocol,
                                SEED, SEED)
                        .isEqualTo(new HashSet<>(converted));
            }
        }
    }
}

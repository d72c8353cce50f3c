package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The group leader's partition assignors, under Kafka's protocol names ("range", "roundrobin")
 * and with the same algorithms, so a group mixing this consumer and Kafka's splits partitions
 * the same way whichever member leads. Eager protocol only; racks are not considered.
 *
 * <p>Members are ordered as Kafka orders them: members with a group.instance.id first, by it;
 * then the others by member id.
 */
final class Assignors {

    static final String RANGE = "range";
    static final String ROUND_ROBIN = "roundrobin";

    /** A member as the leader sees it in the JoinGroup response. */
    record Member(String memberId, String groupInstanceId, Set<String> topics) {
    }

    static final Comparator<Member> KAFKA_MEMBER_ORDER = (a, b) -> {
        if (a.groupInstanceId() != null && b.groupInstanceId() != null) {
            return a.groupInstanceId().compareTo(b.groupInstanceId());
        }
        if (a.groupInstanceId() != null) {
            return -1;
        }
        if (b.groupInstanceId() != null) {
            return 1;
        }
        return a.memberId().compareTo(b.memberId());
    };

    private Assignors() {
    }

    /** The protocol name for a configured strategy (short or Kafka class name), or null if unsupported. */
    static String protocolName(String configured) {
        switch (configured) {
            case RANGE:
            case "org.apache.kafka.clients.consumer.RangeAssignor":
                return RANGE;
            case ROUND_ROBIN:
            case "org.apache.kafka.clients.consumer.RoundRobinAssignor":
                return ROUND_ROBIN;
            default:
                return null;
        }
    }

    /**
     * Assigns the partitions of every topic some member subscribes to.
     *
     * @param partitionCounts partitions per topic; topics missing here (unknown) get no assignment
     * @return member id to its partitions, with an entry (maybe empty) for every member
     */
    static Map<String, List<TopicPartition>> assign(String protocol, List<Member> members,
                                                   Map<String, Integer> partitionCounts) {
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(KAFKA_MEMBER_ORDER);
        Map<String, List<TopicPartition>> result = new HashMap<>();
        for (Member member : sorted) {
            result.put(member.memberId(), new ArrayList<>());
        }
        switch (protocol) {
            case RANGE -> range(sorted, partitionCounts, result);
            case ROUND_ROBIN -> roundRobin(sorted, partitionCounts, result);
            default -> throw new IllegalArgumentException("unsupported assignor " + protocol);
        }
        return result;
    }

    /** Per topic: consecutive ranges, the first (count % members) members getting one extra. */
    private static void range(List<Member> sorted, Map<String, Integer> partitionCounts,
                              Map<String, List<TopicPartition>> result) {
        Map<String, List<Member>> byTopic = new TreeMap<>();
        for (Member member : sorted) {
            for (String topic : member.topics()) {
                byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(member);
            }
        }
        byTopic.forEach((topic, subscribers) -> {
            Integer count = partitionCounts.get(topic);
            if (count == null) {
                return;
            }
            int perMember = count / subscribers.size();
            int extra = count % subscribers.size();
            for (int i = 0; i < subscribers.size(); i++) {
                int start = perMember * i + Math.min(i, extra);
                int length = perMember + (i < extra ? 1 : 0);
                List<TopicPartition> owned = result.get(subscribers.get(i).memberId());
                for (int p = start; p < start + length; p++) {
                    owned.add(new TopicPartition(topic, p));
                }
            }
        });
    }

    /**
     * All partitions sorted by topic then number, dealt in turn around the sorted members, each
     * partition going to the next member (circularly) that subscribes to its topic.
     */
    private static void roundRobin(List<Member> sorted, Map<String, Integer> partitionCounts,
                                   Map<String, List<TopicPartition>> result) {
        TreeSet<String> topics = new TreeSet<>();
        for (Member member : sorted) {
            topics.addAll(member.topics());
        }
        int next = 0;
        for (String topic : topics) {
            Integer count = partitionCounts.get(topic);
            if (count == null) {
                continue;
            }
            for (int p = 0; p < count; p++) {
                while (!sorted.get(next % sorted.size()).topics().contains(topic)) {
                    next++;
                }
                result.get(sorted.get(next % sorted.size()).memberId()).add(new TopicPartition(topic, p));
                next++;
            }
        }
    }
}

package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one {@link Consumer#poll} returned: per partition, records in offset order. Iteration
 * goes partition by partition. {@link #nextOffsets()} gives, for each partition returned, the
 * offset to commit to mark everything returned as processed.
 */
public final class ConsumerRecords<K, V> implements Iterable<ConsumerRecord<K, V>> {

    private static final ConsumerRecords<?, ?> EMPTY = new ConsumerRecords<>(Map.of(), Map.of());

    private final Map<TopicPartition, List<ConsumerRecord<K, V>>> records;
    private final Map<TopicPartition, OffsetAndMetadata> nextOffsets;
    private final int count;

    public ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> records,
                           Map<TopicPartition, OffsetAndMetadata> nextOffsets) {
        this.records = Collections.unmodifiableMap(new LinkedHashMap<>(records));
        this.nextOffsets = Map.copyOf(nextOffsets);
        int total = 0;
        for (List<ConsumerRecord<K, V>> list : records.values()) {
            total += list.size();
        }
        this.count = total;
    }

    @SuppressWarnings("unchecked")
    public static <K, V> ConsumerRecords<K, V> empty() {
        return (ConsumerRecords<K, V>) EMPTY;
    }

    /** The records of one partition, in offset order (empty if none were returned). */
    public List<ConsumerRecord<K, V>> records(TopicPartition partition) {
        List<ConsumerRecord<K, V>> list = records.get(partition);
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    /** The records of every partition of one topic. */
    public List<ConsumerRecord<K, V>> records(String topic) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        records.forEach((tp, list) -> {
            if (tp.topic().equals(topic)) {
                out.addAll(list);
            }
        });
        return out;
    }

    /** The partitions with at least one record here. */
    public Set<TopicPartition> partitions() {
        return records.keySet();
    }

    /** Per partition: the offset after the last record returned (what to commit). */
    public Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        return nextOffsets;
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    @Override
    public Iterator<ConsumerRecord<K, V>> iterator() {
        return records.values().stream().flatMap(List::stream).iterator();
    }
}

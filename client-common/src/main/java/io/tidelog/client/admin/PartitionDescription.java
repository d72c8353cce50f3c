package io.tidelog.client.admin;

import java.util.List;

/**
 * One partition: its leader (-1 when it has none), leader epoch, replicas, in-sync replicas, and
 * the offsets consumers see: {@code logStartOffset} (earliest) and {@code highWatermark} (latest).
 * Either offset is -1 when the leader could not be asked.
 */
public record PartitionDescription(int partition, int leader, int leaderEpoch, List<Integer> replicas,
                                   List<Integer> isr, long logStartOffset, long highWatermark) {

    public PartitionDescription {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}

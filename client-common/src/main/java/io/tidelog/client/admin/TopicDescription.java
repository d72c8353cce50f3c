package io.tidelog.client.admin;

import java.util.List;
import java.util.UUID;

/** A topic as Metadata and ListOffsets describe it: its partitions in partition order. */
public record TopicDescription(String name, UUID topicId, boolean internal, List<PartitionDescription> partitions) {

    public TopicDescription {
        partitions = List.copyOf(partitions);
    }
}

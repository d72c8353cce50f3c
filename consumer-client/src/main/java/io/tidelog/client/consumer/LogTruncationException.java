package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.util.Map;

/**
 * After a leader change the new leader's log diverges below this consumer's position (records it
 * had read were lost by an unclean election or truncation) and {@code auto.offset.reset=none}.
 * {@link #divergentOffsets()} gives, per partition, the first offset known to diverge: seek
 * there to continue.
 */
public class LogTruncationException extends OffsetOutOfRangeException {

    private final Map<TopicPartition, OffsetAndMetadata> divergentOffsets;

    public LogTruncationException(Map<TopicPartition, Long> positions,
                                  Map<TopicPartition, OffsetAndMetadata> divergentOffsets) {
        super("log truncation detected: positions " + positions + " are beyond the new leader's log, which "
                + "diverges at " + divergentOffsets + "; seek to the divergent offsets (or set auto.offset.reset "
                + "to earliest or latest to have it done automatically)", positions);
        this.divergentOffsets = Map.copyOf(divergentOffsets);
    }

    public Map<TopicPartition, OffsetAndMetadata> divergentOffsets() {
        return divergentOffsets;
    }
}

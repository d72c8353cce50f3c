package io.tidelog.client.producer;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The sender's idempotence bookkeeping for one partition: the next sequence to assign, the last
 * sequence the broker acknowledged, and the batches in flight.
 *
 * <p>Invariants (sender thread only): batches in flight have base sequences in
 * (lastAckedSequence, nextSequence); {@code retrying} is set while some batch of this partition
 * waits in the queue to be sent again, and then nothing new is sent until the in-flight ones
 * have answered, so retried batches reach the broker in sequence order. While
 * {@code lastAckedSequence} is -1 (nothing acknowledged yet in this producer epoch) at most one
 * batch is in flight: a broker holding no state for the producer accepts any sequence, so only the
 * first acknowledgement makes the broker's sequence check guard the order of pipelined batches.
 */
final class PartitionSequences {

    int nextSequence;
    int lastAckedSequence = -1;
    boolean retrying;
    final Set<ProducerBatch> inFlight = new LinkedHashSet<>();

    void reset() {
        nextSequence = 0;
        lastAckedSequence = -1;
    }
}

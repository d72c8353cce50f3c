package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StickyPartitionerTest {

    @Test
    void givenNullKeys_whenNoBatchCompletes_thenEveryRecordSticksToOnePartition() {
        StickyPartitioner partitioner = new StickyPartitioner(false);
        int first = partitioner.partition("t", null, 8);
        for (int i = 0; i < 100; i++) {
            assertThat(partitioner.partition("t", null, 8)).isEqualTo(first);
        }
    }

    @Test
    void givenNullKeys_whenTheStickyPartitionsBatchCompletes_thenTheNextRecordsMoveToAnotherPartition() {
        StickyPartitioner partitioner = new StickyPartitioner(false);
        Set<Integer> used = new HashSet<>();
        int current = partitioner.partition("t", null, 8);
        for (int i = 0; i < 50; i++) {
            used.add(current);
            partitioner.onBatchCompleted("t", current, 8);
            int next = partitioner.partition("t", null, 8);
            assertThat(next).as("after batch completion on %d", current).isNotEqualTo(current);
            current = next;
        }
        assertThat(used.size()).isGreaterThan(1);
    }

    @Test
    void givenACompletionOnAnotherPartition_whenNullKeysAreSent_thenTheStickyChoiceStays() {
        StickyPartitioner partitioner = new StickyPartitioner(false);
        int current = partitioner.partition("t", null, 8);
        partitioner.onBatchCompleted("t", (current + 1) % 8, 8);
        assertThat(partitioner.partition("t", null, 8)).isEqualTo(current);
    }

    @Test
    void givenAKey_whenPartitioned_thenMurmur2DecidesUnlessKeysAreIgnored() {
        byte[] key = "order-42".getBytes(StandardCharsets.UTF_8);
        assertThat(new StickyPartitioner(false).partition("t", key, 13)).isEqualTo(Murmur2.partitionForKey(key, 13));
        StickyPartitioner ignoring = new StickyPartitioner(true);
        int sticky = ignoring.partition("t", null, 13);
        assertThat(ignoring.partition("t", key, 13)).isEqualTo(sticky);
    }
}

package io.tidelog.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeliveryCheckerTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    /** Acknowledges and consumes {@code count} records of producer 0 at offsets 0.. on partition 0. */
    private static DeliveryChecker cleanHistory(int count) {
        DeliveryChecker checker = new DeliveryChecker();
        for (int seq = 0; seq < count; seq++) {
            checker.acknowledged(0, seq, 0, seq);
        }
        for (int seq = 0; seq < count; seq++) {
            checker.consumed(0, seq, 0, seq);
        }
        return checker;
    }

    @Test
    void givenEveryAcknowledgedRecordConsumedOnceInOrder_whenChecked_thenNoAnomalies() {
        DeliveryChecker.Result r = cleanHistory(100).result();

        assertThat(r.acknowledged()).isEqualTo(100);
        assertThat(r.consumed()).isEqualTo(100);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicated()).isZero();
        assertThat(r.reordered()).isZero();
        assertThat(r.clean()).isTrue();
        assertThat(r.examples()).isEmpty();
    }

    @Test
    void givenAcknowledgedRecordsNeverConsumed_whenChecked_thenExactlyThoseAreLostOnTheirPartition() {
        DeliveryChecker checker = new DeliveryChecker();
        for (int seq = 0; seq < 10; seq++) {
            checker.acknowledged(1, seq, seq % 2, seq / 2);
        }
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 3 && seq != 7) {
                checker.consumed(seq % 2, seq / 2, 1, seq);
            }
        }

        DeliveryChecker.Result r = checker.result();

        assertThat(r.lost()).isEqualTo(2);
        assertThat(r.partitions()).filteredOn(p -> p.partition() == 1).singleElement()
                .satisfies(p -> assertThat(p.lost()).isEqualTo(2));
        assertThat(r.partitions()).filteredOn(p -> p.partition() == 0).singleElement()
                .satisfies(p -> assertThat(p.lost()).isZero());
        assertThat(r.examples()).contains("lost: producer 1 sequence 3 acknowledged at partition 1 offset 1",
                "lost: producer 1 sequence 7 acknowledged at partition 1 offset 3");
    }

    @Test
    void givenARecordReadAtTwoOffsets_whenChecked_thenItIsOneDuplicate() {
        DeliveryChecker checker = cleanHistory(5);
        checker.consumed(0, 5, 0, 2);

        DeliveryChecker.Result r = checker.result();

        assertThat(r.duplicated()).isEqualTo(1);
        assertThat(r.lost()).isZero();
        assertThat(r.clean()).isFalse();
        assertThat(r.examples()).anySatisfy(e -> assertThat(e).startsWith("duplicated: producer 0 sequence 2 at partition 0 offset 5"));
    }

    @Test
    void givenTheSameOffsetReadTwice_whenChecked_thenItIsARedeliveryNotAnAnomaly() {
        DeliveryChecker checker = cleanHistory(5);
        checker.consumed(0, 3, 0, 3);

        DeliveryChecker.Result r = checker.result();

        assertThat(r.redelivered()).isEqualTo(1);
        assertThat(r.clean()).isTrue();
    }

    @Test
    void givenAProducersLaterRecordStoredBeforeAnEarlierOneInAPartition_whenChecked_thenOneReordering() {
        DeliveryChecker checker = new DeliveryChecker();
        long[] seqAtOffset = {0, 1, 3, 2, 4};
        for (int offset = 0; offset < seqAtOffset.length; offset++) {
            checker.acknowledged(0, seqAtOffset[offset], 0, offset);
        }
        for (int offset = 0; offset < seqAtOffset.length; offset++) {
            checker.consumed(0, offset, 0, seqAtOffset[offset]);
        }

        DeliveryChecker.Result r = checker.result();

        assertThat(r.reordered()).isEqualTo(1);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicated()).isZero();
        assertThat(r.examples()).containsExactly("reordered: producer 0 sequence 2 at partition 0 offset 3 after its sequence 3");
    }

    @Test
    void givenTwoProducersInterleavedInOnePartitionAndOthersElsewhere_whenChecked_thenOrderIsPerProducerAndPartition() {
        Random random = new Random(SEED);
        DeliveryChecker checker = new DeliveryChecker();
        List<long[]> log = new ArrayList<>();
        long[] next = new long[3];
        for (int offset = 0; offset < 300; offset++) {
            int producer = random.nextInt(3);
            log.add(new long[] {producer, next[producer]++});
        }
        for (int offset = 0; offset < log.size(); offset++) {
            long[] r = log.get(offset);
            checker.acknowledged((int) r[0], r[1], 0, offset);
            checker.consumed(0, offset, (int) r[0], r[1]);
        }

        assertThat(checker.result().clean()).as("seed %d", SEED).isTrue();
    }

    @Test
    void givenRecordsConsumedWithoutAcknowledgements_whenChecked_thenGapsBelowTheHighestSequenceAreLost() {
        DeliveryChecker checker = new DeliveryChecker();
        List<Integer> sequences = new ArrayList<>(List.of(0, 1, 2, 4, 5, 8));
        Collections.sort(sequences);
        for (int i = 0; i < sequences.size(); i++) {
            checker.consumed(0, i, 4, sequences.get(i));
        }

        DeliveryChecker.Result r = checker.result();

        assertThat(r.lost()).isEqualTo(3);
        assertThat(r.partitions()).filteredOn(p -> p.partition() == -1).singleElement()
                .satisfies(p -> assertThat(p.lost()).isEqualTo(3));
    }

    @Test
    void givenAcknowledgementsArrivingAfterConsumption_whenChecked_thenNothingIsLost() {
        DeliveryChecker checker = new DeliveryChecker();
        for (int seq = 0; seq < 3000; seq++) {
            checker.consumed(2, 100 + seq, 0, seq);
        }
        for (int seq = 0; seq < 3000; seq++) {
            checker.acknowledged(0, seq, 2, 100 + seq);
        }

        DeliveryChecker.Result r = checker.result();

        assertThat(r.acknowledged()).isEqualTo(3000);
        assertThat(r.consumed()).isEqualTo(3000);
        assertThat(r.clean()).isTrue();
    }
}

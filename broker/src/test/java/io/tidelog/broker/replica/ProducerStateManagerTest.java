package io.tidelog.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.replica.ProducerStateManager.Verdict;
import org.junit.jupiter.api.Test;

class ProducerStateManagerTest {

    private static final long PID = 42L;
    private final ProducerStateManager state = new ProducerStateManager();

    @Test
    void givenRetainedBatch_whenTheSameSequencesArriveAgain_thenItIsADuplicateWithItsOriginalOffsets() {
        state.onBatchAppended(PID, (short) 0, 0, 9, 100, 109);
        state.onBatchAppended(PID, (short) 0, 10, 19, 110, 119);

        assertThat(state.check(PID, (short) 0, 0, 9)).isEqualTo(Verdict.DUPLICATE);
        assertThat(state.duplicateFirstOffset()).isEqualTo(100);
        assertThat(state.duplicateLastOffset()).isEqualTo(109);
    }

    @Test
    void givenAppendedSequences_whenTheNextBatchSkipsASequence_thenItIsOutOfOrder() {
        state.onBatchAppended(PID, (short) 0, 0, 4, 0, 4);

        assertThat(state.check(PID, (short) 0, 6, 6)).isEqualTo(Verdict.OUT_OF_ORDER);
        assertThat(state.check(PID, (short) 0, 5, 9)).isEqualTo(Verdict.APPEND);
    }

    @Test
    void givenSixBatches_whenTheFirstIsRetried_thenItIsNoLongerRecognisedAsADuplicate() {
        for (int i = 0; i < 6; i++) {
            state.onBatchAppended(PID, (short) 0, i, i, i, i);
        }
        assertThat(state.check(PID, (short) 0, 0, 0)).isEqualTo(Verdict.OUT_OF_ORDER);
        assertThat(state.check(PID, (short) 0, 1, 1)).isEqualTo(Verdict.DUPLICATE);
    }

    @Test
    void givenAProducerAtEpochTwo_whenEpochOneWrites_thenTheEpochIsInvalid() {
        state.onBatchAppended(PID, (short) 2, 0, 0, 0, 0);

        assertThat(state.check(PID, (short) 1, 1, 1)).isEqualTo(Verdict.INVALID_EPOCH);
    }

    @Test
    void givenAKnownProducer_whenItBumpsItsEpoch_thenOnlySequenceZeroIsAccepted() {
        state.onBatchAppended(PID, (short) 0, 0, 7, 0, 7);

        assertThat(state.check(PID, (short) 1, 8, 8)).isEqualTo(Verdict.OUT_OF_ORDER);
        assertThat(state.check(PID, (short) 1, 0, 3)).isEqualTo(Verdict.APPEND);
    }

    @Test
    void givenAnUnknownProducer_whenItWritesAnySequence_thenTheBatchIsAccepted() {
        assertThat(state.check(PID, (short) 3, 57, 60)).isEqualTo(Verdict.APPEND);
    }

    @Test
    void givenTheLastSequenceIsIntMax_whenTheNextStartsAtZero_thenItIsInSequence() {
        state.onBatchAppended(PID, (short) 0, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0, 1);

        assertThat(state.check(PID, (short) 0, 0, 0)).isEqualTo(Verdict.APPEND);
    }

    @Test
    void givenNoProducerId_whenChecked_thenTheBatchIsAlwaysAppended() {
        assertThat(state.check(ProducerStateManager.NO_PRODUCER_ID, (short) -1, -1, -1)).isEqualTo(Verdict.APPEND);
        state.onBatchAppended(ProducerStateManager.NO_PRODUCER_ID, (short) -1, -1, -1, 0, 0);
        assertThat(state.producerCount()).isZero();
    }

    @Test
    void givenStateWrittenToASnapshot_whenReadBack_thenDuplicatesAndGapsAreJudgedTheSame() throws Exception {
        for (int i = 0; i < 7; i++) {
            state.onBatchAppended(PID, (short) 1, i * 2, i * 2 + 1, 100 + i * 2, 101 + i * 2);
        }
        state.onBatchAppended(99L, (short) 4, 0, 0, 500, 500);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        state.writeTo(new java.io.DataOutputStream(bytes));

        ProducerStateManager restored = new ProducerStateManager();
        restored.readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));

        assertThat(restored.producerCount()).isEqualTo(2);
        assertThat(restored.check(PID, (short) 1, 12, 13)).isEqualTo(Verdict.DUPLICATE);
        assertThat(restored.duplicateFirstOffset()).isEqualTo(112);
        assertThat(restored.check(PID, (short) 1, 4, 5)).isEqualTo(Verdict.DUPLICATE);
        assertThat(restored.check(PID, (short) 1, 2, 3)).isEqualTo(Verdict.OUT_OF_ORDER);
        assertThat(restored.check(PID, (short) 1, 14, 14)).isEqualTo(Verdict.APPEND);
        assertThat(restored.check(99L, (short) 3, 1, 1)).isEqualTo(Verdict.INVALID_EPOCH);
    }
}

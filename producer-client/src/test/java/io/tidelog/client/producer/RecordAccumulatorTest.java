package io.tidelog.client.producer;

import io.tidelog.client.common.Clock;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.record.CompressionType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.protocol.record.RecordBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Batching, linger and buffer.memory back-pressure on a controlled clock. */
class RecordAccumulatorTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final AtomicLong now = new AtomicLong(1_000);
    private final Clock clock = now::get;

    private RecordAccumulator accumulator(int batchSize, long lingerMs, long memory) {
        return new RecordAccumulator(batchSize, lingerMs, new BufferBudget(memory), clock, () -> { });
    }

    private static RecordAccumulator.AppendResult append(RecordAccumulator acc, int valueBytes, long maxBlockMs)
            throws InterruptedException {
        return acc.append(TP, 0L, null, new byte[valueBytes], List.of(), new CompletableFuture<>(), null, maxBlockMs);
    }

    @Test
    void givenARecordInAFreshBatch_whenLingerHasNotPassed_thenTheBatchIsNotReadyAndBecomesReadyAtLinger()
            throws Exception {
        RecordAccumulator acc = accumulator(16384, 5, 1 << 20);
        assertThat(append(acc, 10, 0)).isEqualTo(RecordAccumulator.AppendResult.APPENDED_NEW_BATCH);
        assertThat(acc.pollReady(TP, now.get(), b -> true)).isNull();
        assertThat(acc.nextReadyDelayMs(now.get(), 100)).isEqualTo(5);
        now.addAndGet(5);
        assertThat(acc.nextReadyDelayMs(now.get(), 100)).as("a ready head does not shorten the wait").isEqualTo(100);
        assertThat(acc.pollReady(TP, now.get(), b -> true)).isNotNull();
    }

    @Test
    void givenRecordsBeyondBatchSize_whenAppended_thenTheyFillOneBatchAndTheNextGoesToANewOneThatMakesTheFirstReady()
            throws Exception {
        RecordAccumulator acc = accumulator(1024, 1_000, 1 << 20);
        int appended = 0;
        RecordAccumulator.AppendResult result;
        do {
            result = append(acc, 100, 0);
            appended++;
        } while (result != RecordAccumulator.AppendResult.APPENDED_NEW_BATCH_AFTER_FULL);
        ProducerBatch first = acc.pollReady(TP, now.get(), b -> true);
        assertThat(first).as("full head batch is ready before linger").isNotNull();
        assertThat(first.recordCount()).isEqualTo(appended - 1);
        first.close(-1, (short) -1, -1, CompressionType.NONE);
        RecordBatch batch = new RecordBatch().wrap(first.wireBytes(), 0);
        assertThat(batch.sizeInBytes()).isLessThanOrEqualTo(1024);
        assertThat(batch.recordsCount()).isEqualTo(appended - 1);
        assertThat(batch.validate()).isEqualTo(io.tidelog.protocol.record.BatchValidation.VALID);
        assertThat(acc.pollReady(TP, now.get(), b -> true)).as("second batch still lingers").isNull();
    }

    @Test
    void givenAFlush_whenABatchLingers_thenItIsReadyAtOnce() throws Exception {
        RecordAccumulator acc = accumulator(16384, 60_000, 1 << 20);
        append(acc, 10, 0);
        acc.beginFlush();
        assertThat(acc.pollReady(TP, now.get(), b -> true)).isNotNull();
        acc.endFlush();
    }

    @Test
    void givenBufferMemoryIsSpent_whenAnotherBatchIsNeeded_thenAppendBlocksUntilMemoryIsReleased() throws Exception {
        RecordAccumulator acc = accumulator(1024, 0, 2048);
        append(acc, 900, 0);
        append(acc, 900, 0);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread blocked = new Thread(() -> {
            started.countDown();
            try {
                outcome.set(append(acc, 900, 60_000));
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        blocked.start();
        started.await();
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                .until(() -> blocked.getState() == Thread.State.WAITING || blocked.getState() == Thread.State.TIMED_WAITING);
        assertThat(outcome.get()).as("append must wait while buffer.memory is spent").isNull();
        ProducerBatch first = acc.pollReady(TP, now.get(), b -> true);
        first.complete(0, -1);
        acc.deallocate(first);
        blocked.join(10_000);
        assertThat(outcome.get()).isEqualTo(RecordAccumulator.AppendResult.APPENDED_NEW_BATCH_AFTER_FULL);
    }

    @Test
    void givenBufferMemoryIsSpent_whenNothingIsReleasedWithinMaxBlock_thenAppendFailsWithATimeoutNamingTheSettings() {
        RecordAccumulator acc = accumulator(1024, 0, 1024);
        assertThatThrownBy(() -> {
            append(acc, 900, 0);
            append(acc, 900, 20);
        }).isInstanceOf(ProducerTimeoutException.class)
                .hasMessageContaining("buffer.memory=1024")
                .hasMessageContaining("max.block.ms");
    }

    @Test
    void givenABatchOlderThanTheDeliveryTimeout_whenExpired_thenItLeavesTheQueue() throws Exception {
        RecordAccumulator acc = accumulator(16384, 60_000, 1 << 20);
        append(acc, 10, 0);
        assertThat(acc.expire(now.get(), 100)).isEmpty();
        now.addAndGet(100);
        assertThat(acc.expire(now.get(), 100)).hasSize(1);
        assertThat(acc.hasQueued()).isFalse();
    }
}

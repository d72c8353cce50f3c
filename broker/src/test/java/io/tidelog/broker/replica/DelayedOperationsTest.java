package io.tidelog.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DelayedOperationsTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final DelayedOperations purgatory = new DelayedOperations("test", timers);
    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 0);

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    /** Completes when {@code ready} is set; records how it completed. */
    private static final class Waiter extends DelayedOperation {
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicInteger completions = new AtomicInteger();
        final AtomicReference<Boolean> expired = new AtomicReference<>();

        @Override
        protected boolean isSatisfied() {
            return ready.get();
        }

        @Override
        protected void onComplete(boolean timedOut) {
            completions.incrementAndGet();
            expired.set(timedOut);
        }
    }

    @Test
    void givenASatisfiedOperation_whenSubmitted_thenItCompletesAtOnceWithoutParking() {
        Waiter op = new Waiter();
        op.ready.set(true);

        assertThat(purgatory.tryCompleteElseWatch(op, List.of(A), 60_000)).isTrue();
        assertThat(op.expired.get()).isFalse();
        assertThat(purgatory.parkedCount()).isZero();
    }

    @Test
    void givenAParkedOperation_whenAWatchedPartitionChangesAndSatisfiesIt_thenItCompletesOnceAndIsUnwatched() {
        Waiter op = new Waiter();
        assertThat(purgatory.tryCompleteElseWatch(op, List.of(A, B), 60_000)).isFalse();
        assertThat(purgatory.parkedCount()).isEqualTo(1);

        purgatory.checkAndComplete(A);
        assertThat(op.completions.get()).isZero();
        op.ready.set(true);
        purgatory.checkAndComplete(B);
        purgatory.checkAndComplete(A);

        assertThat(op.completions.get()).isEqualTo(1);
        assertThat(op.expired.get()).isFalse();
        assertThat(purgatory.parkedCount()).isZero();
    }

    @Test
    void givenAParkedOperation_whenItsDeadlinePasses_thenItCompletesAsExpiredAndIsUnwatched() {
        Waiter op = new Waiter();
        purgatory.tryCompleteElseWatch(op, List.of(A), 10);

        await().until(() -> op.completions.get() == 1);
        assertThat(op.expired.get()).isTrue();
        assertThat(purgatory.parkedCount()).isZero();
    }

    @Test
    void givenParkedOperations_whenCompletingAllForShutdown_thenEveryOneAnswersExactlyOnce() {
        Waiter first = new Waiter();
        Waiter second = new Waiter();
        purgatory.tryCompleteElseWatch(first, List.of(A, B), 60_000);
        purgatory.tryCompleteElseWatch(second, List.of(B), 60_000);

        purgatory.completeAll();

        assertThat(first.completions.get()).isEqualTo(1);
        assertThat(second.completions.get()).isEqualTo(1);
        assertThat(purgatory.parkedCount()).isZero();
    }
}

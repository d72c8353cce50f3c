package io.tidelog.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The producer loop with a simulated clock: a producer that stalls for 100 ms once, at a fixed
 * rate of 1000 records/s. Sends are acknowledged the moment they are made; only the stall delays.
 */
class CoordinatedOmissionTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int RECORDS = 200;
    private static final int STALLED_RECORD = 10;

    /** Time moves only when the loop waits for a due time or a send stalls. */
    private static final class SimulatedClock implements NanoClock {
        long now = 1_000 * MS;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void parkUntil(long deadlineNanos) {
            now = Math.max(now, deadlineNanos);
        }
    }

    private static Histogram run(SendSchedule schedule, SimulatedClock clock) {
        LatencyStats stats = new LatencyStats();
        int[] sent = {0};
        RecordSender stallingSender = (value, done) -> {
            if (sent[0]++ == STALLED_RECORD) {
                clock.now += 100 * MS;
            }
            done.acknowledged(0, sent[0] - 1);
        };
        new ProducerLoop(0, 1L, 64, RECORDS, Long.MAX_VALUE / 2, schedule, clock, stallingSender, stats, null,
                new LongAdder(), new AtomicReference<>()).run();
        stats.sample();
        return stats.total();
    }

    @Test
    void givenAFixedRate_whenTheProducerStalls_thenTheRecordsQueuedBehindTheStallCarryItInTheirLatency() {
        SimulatedClock clock = new SimulatedClock();

        Histogram micros = run(SendSchedule.fixedRate(clock.now, 1000), clock);

        assertThat(micros.getTotalCount()).isEqualTo(RECORDS);
        assertThat(micros.getMaxValue()).as("the stalled record itself waited 100 ms")
                .isBetween(99_000L, 101_000L);
        // Records 10..109 were due every 1 ms during the 100 ms stall and went out when it ended:
        // record 10+k waited 100-k ms, so 50 of them waited at least 50 ms.
        long atLeast50ms = micros.getTotalCount() - micros.getCountBetweenValues(0, 49_999);
        assertThat(atLeast50ms).isBetween(50L, 51L);
        assertThat(micros.getTotalCount() - micros.getCountBetweenValues(0, 0))
                .as("every record due during the stall waited: records 10..109").isEqualTo(100);
    }

    @Test
    void givenMaxRate_whenTheProducerStalls_thenOnlyTheStalledSendShowsIt() {
        SimulatedClock clock = new SimulatedClock();

        Histogram micros = run(SendSchedule.maxRate(clock.now), clock);

        assertThat(micros.getTotalCount()).isEqualTo(RECORDS);
        assertThat(micros.getMaxValue()).isBetween(99_000L, 101_000L);
        assertThat(micros.getTotalCount() - micros.getCountBetweenValues(0, 0)).isEqualTo(1);
    }

    @Test
    void givenAFixedRate_whenNothingStalls_thenEveryRecordGoesOutAtItsDueTime() {
        SimulatedClock clock = new SimulatedClock();
        long start = clock.now;
        LatencyStats stats = new LatencyStats();
        new ProducerLoop(0, 1L, 64, RECORDS, Long.MAX_VALUE / 2, SendSchedule.fixedRate(start, 1000), clock,
                (value, done) -> done.acknowledged(0, 0), stats, null, new LongAdder(), new AtomicReference<>()).run();
        stats.sample();

        assertThat(stats.total().getMaxValue()).isZero();
        assertThat(clock.now - start).as("200 records at 1000/s take 199 ms of due times").isEqualTo(199 * MS);
    }

    @Test
    void givenAWarmup_whenRecordsAreDueBeforeItsEnd_thenOnlyLaterOnesAreMeasured() {
        SimulatedClock clock = new SimulatedClock();
        long start = clock.now;
        LatencyStats stats = new LatencyStats();
        stats.measureFrom(start + 50 * MS);
        new ProducerLoop(0, 1L, 64, RECORDS, Long.MAX_VALUE / 2, SendSchedule.fixedRate(start, 1000), clock,
                (value, done) -> done.acknowledged(0, 0), stats, null, new LongAdder(), new AtomicReference<>()).run();
        LatencyStats.Interval interval = stats.sample();

        assertThat(interval.records()).as("the progress line counts warm-up too").isEqualTo(RECORDS);
        assertThat(interval.warmupRecords()).isEqualTo(50);
        assertThat(stats.total().getTotalCount()).isEqualTo(RECORDS - 50);
        assertThat(stats.measuredBytes()).isEqualTo((RECORDS - 50) * 64L);
    }

    @Test
    void givenADeadline_whenDueTimesPassIt_thenTheLoopStopsThere() {
        SimulatedClock clock = new SimulatedClock();
        long start = clock.now;
        LatencyStats stats = new LatencyStats();
        ProducerLoop loop = new ProducerLoop(0, 1L, 64, RECORDS, start + 20 * MS, SendSchedule.fixedRate(start, 1000),
                clock, (value, done) -> done.acknowledged(0, 0), stats, null, new LongAdder(), new AtomicReference<>());
        loop.run();

        assertThat(loop.sent()).isEqualTo(20);
    }
}

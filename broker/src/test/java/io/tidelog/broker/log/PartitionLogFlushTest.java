package io.tidelog.broker.log;

import static io.tidelog.broker.TestLogs.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PartitionLogFlushTest {

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenFlushMessages_whenThatManyMessagesAreUnflushed_thenAFlushIsNeededAndItAdvancesTheRecoveryPoint(SegmentBackend backend) throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, TestLogs.smallConfig(backend).flushMessages(5).build(), time, 0, 0, true)) {
            log.append(batch(4, 10, 1), 0);
            assertThat(log.flushNeeded(time.milliseconds())).isFalse();

            log.append(batch(1, 10, 1), 0);
            assertThat(log.flushNeeded(time.milliseconds())).isTrue();

            log.flush();
            assertThat(log.recoveryPoint()).isEqualTo(5);
            assertThat(log.flushNeeded(time.milliseconds())).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenTheDefaultPolicy_whenASegmentRolls_thenTheRolledSegmentIsDueForAFlushButNotTheActiveOne(SegmentBackend backend) throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, TestLogs.smallConfig(backend).segmentBytes(1024).build(), time, 0, 0, true)) {
            log.append(batch(1, 100, 1), 0);
            assertThat(log.flushTarget(time.milliseconds())).as("nothing sealed yet").isEqualTo(-1);
            for (int i = 0; i < 10; i++) {
                log.append(batch(1, 100, 1), 0);
            }
            long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
            assertThat(activeBase).isPositive();

            assertThat(log.flushTarget(time.milliseconds())).isEqualTo(activeBase);
            log.flush(log.flushTarget(time.milliseconds()));

            assertThat(log.recoveryPoint()).isEqualTo(activeBase);
            assertThat(log.flushNeeded(time.milliseconds())).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenFlushMs_whenUnflushedDataIsThatOld_thenAFlushIsNeeded(SegmentBackend backend) throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, TestLogs.smallConfig(backend).flushMs(1000).build(), time, 0, 0, true)) {
            time.sleep(5000);
            assertThat(log.flushNeeded(time.milliseconds())).as("nothing unflushed").isFalse();
            log.flush();
            log.append(batch(1, 10, 1), 0);
            time.sleep(999);
            assertThat(log.flushNeeded(time.milliseconds())).isFalse();
            time.sleep(1);
            assertThat(log.flushNeeded(time.milliseconds())).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenABackgroundFlusher_whenAppendsAndRollsRunConcurrently_thenEveryFlushSucceedsAndTheRecoveryPointNeverPassesTheEnd(SegmentBackend backend) throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, TestLogs.smallConfig(backend).segmentBytes(2048).build(), time, 0, 0, true)) {
            ExecutorService flusher = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> flushes = flusher.submit(() -> {
                    int n = 0;
                    while (log.logEndOffset() < 2000) {
                        log.flush();
                        assertThat(log.recoveryPoint()).isLessThanOrEqualTo(log.logEndOffset());
                        n++;
                    }
                    return n;
                });
                for (int i = 0; i < 1000; i++) {
                    assertThat(log.append(batch(2, 50, i), 0).isSuccess()).isTrue();
                }
                assertThat(flushes.get(30, TimeUnit.SECONDS)).isPositive();
            } finally {
                flusher.shutdownNow();
            }
            log.flush();
            assertThat(log.recoveryPoint()).isEqualTo(2000);
            assertThat(log.segmentCount()).isGreaterThan(10);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAFlushedLog_whenItCrashesAndReopens_thenRecoveryStartsFromTheRecoveryPoint(SegmentBackend backend) throws Exception {
        LogConfig config = TestLogs.smallConfig(backend).segmentBytes(1024).build();
        long recoveryPoint;
        PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true);
        for (int i = 0; i < 40; i++) {
            log.append(batch(1, 100, i), 3);
        }
        log.flush();
        recoveryPoint = log.recoveryPoint();
        log.append(batch(1, 100, 99), 4);
        log.closeWithoutFlush();

        try (PartitionLog reopened = PartitionLog.open(dir, config, time, recoveryPoint, 0, false)) {
            assertThat(reopened.logEndOffset()).isEqualTo(41);
            assertThat(reopened.recoveryPoint()).isEqualTo(recoveryPoint);
            assertThat(reopened.leaderEpochCache().entries()).containsExactly(
                    new LeaderEpochCache.EpochEntry(3, 0), new LeaderEpochCache.EpochEntry(4, 40));
        }
    }
}

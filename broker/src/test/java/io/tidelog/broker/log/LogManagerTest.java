package io.tidelog.broker.log;

import static io.tidelog.broker.TestLogs.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LogManagerTest {

    @TempDir
    Path root;
    private final MockTime time = new MockTime();

    private LogManager open(SegmentBackend backend, Path... dirs) throws IOException {
        LogConfig config = TestLogs.smallConfig(backend).segmentBytes(2048).flushMessages(10).build();
        return LogManager.open(List.of(dirs), (topic, partition) -> config, time, 2);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenACleanShutdown_whenReopening_thenEveryPartitionIsBackAndTheMarkerIsGoneSoACrashIsDetected(SegmentBackend backend) throws Exception {
        Path dir = root.resolve("data");
        try (LogManager manager = open(backend, dir)) {
            for (int p = 0; p < 3; p++) {
                PartitionLog log = manager.getOrCreateLog("orders-eu", p);
                for (int i = 0; i <= p * 5; i++) {
                    log.append(batch(2, 100, 1), 0);
                }
            }
        }
        assertThat(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).exists();
        assertThat(Files.readAllLines(dir.resolve(LogManager.RECOVERY_POINT_CHECKPOINT)))
                .contains("orders-eu 2 22", "orders-eu 0 2");

        try (LogManager manager = open(backend, dir)) {
            assertThat(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).doesNotExist();
            assertThat(manager.logs()).hasSize(3);
            assertThat(manager.log("orders-eu", 1).orElseThrow().logEndOffset()).isEqualTo(12);
            assertThat(manager.log("orders-eu", 2).orElseThrow().recoveryPoint()).isEqualTo(22);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenACrash_whenReopening_thenLogsRecoverFromTheirCheckpointedRecoveryPoint(SegmentBackend backend) throws Exception {
        Path dir = root.resolve("data");
        LogManager manager = open(backend, dir);
        PartitionLog log = manager.getOrCreateLog("t", 0);
        for (int i = 0; i < 20; i++) {
            log.append(batch(1, 200, 1), 2);
        }
        assertThat(manager.flushDuty()).as("flush.messages=10 asks for a flush").isEqualTo(1);
        manager.checkpointDuty();
        log.append(batch(1, 200, 1), 2);
        manager.closeUncleanly();

        try (LogManager reopened = open(backend, dir)) {
            PartitionLog recovered = reopened.log("t", 0).orElseThrow();
            assertThat(recovered.logEndOffset()).isEqualTo(21);
            assertThat(recovered.recoveryPoint()).isEqualTo(20);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAPartitionDirThatCannotBeOpened_whenOpening_thenTheErrorNamesTheDirectory(SegmentBackend backend) throws Exception {
        Path dir = root.resolve("data");
        Path broken = Files.createDirectories(dir.resolve("payments-3"));
        Files.createDirectories(broken.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX)));

        assertThatThrownBy(() -> open(backend, dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(broken.toString());
        Files.delete(broken.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX)));
        try (LogManager manager = open(backend, dir)) {
            assertThat(manager.log("payments", 3)).as("the failed open released its lock; the repaired dir opens").isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAnOpenLogDir_whenASecondManagerOpensIt_thenItIsRefusedAsInUse(SegmentBackend backend) throws Exception {
        Path dir = root.resolve("data");
        try (LogManager first = open(backend, dir)) {
            assertThatThrownBy(() -> open(backend, dir)).isInstanceOf(IOException.class).hasMessageContaining("in use");
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenTwoLogDirs_whenCreatingPartitions_thenTheyAreSpreadAndADeletedOneIsGoneFromDisk(SegmentBackend backend) throws Exception {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        try (LogManager manager = open(backend, a, b)) {
            for (int p = 0; p < 4; p++) {
                manager.getOrCreateLog("t", p).append(batch(1, 10, 1), 0);
            }
            try (var inA = Files.list(a); var inB = Files.list(b)) {
                assertThat(inA.filter(Files::isDirectory).count()).isEqualTo(2);
                assertThat(inB.filter(Files::isDirectory).count()).isEqualTo(2);
            }
            Path dirOf2 = manager.log("t", 2).orElseThrow().dir();

            assertThat(manager.deleteLog("t", 2)).isTrue();

            assertThat(dirOf2).doesNotExist();
            assertThat(manager.log("t", 2)).isEmpty();
            assertThat(manager.deleteLog("t", 2)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenRetentionAndOldSegments_whenTheRetentionDutyRuns_thenOldSegmentsGoAndTheFlushDutyRemovesTheirFiles(SegmentBackend backend) throws Exception {
        Path dir = root.resolve("data");
        LogConfig config = TestLogs.smallConfig(backend).segmentBytes(1024).retentionMs(1000).build();
        try (LogManager manager = LogManager.open(List.of(dir), (t, p) -> config, time, 1)) {
            PartitionLog log = manager.getOrCreateLog("t", 0);
            for (int i = 0; i < 20; i++) {
                log.append(batch(2, 150, time.milliseconds()), 0);
            }
            time.sleep(2000);

            assertThat(manager.retentionDuty()).isPositive();
            manager.flushDuty();

            assertThat(log.segmentCount()).isEqualTo(1);
            try (var files = Files.list(log.dir())) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(LogSegment.DELETED_SUFFIX));
            }
        }
    }
}

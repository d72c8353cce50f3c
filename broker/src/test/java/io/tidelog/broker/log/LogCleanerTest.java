package io.tidelog.broker.log;

import static io.tidelog.broker.log.CompactionLogs.append;
import static io.tidelog.broker.log.CompactionLogs.keyed;
import static io.tidelog.broker.log.CompactionLogs.latestPerKey;
import static io.tidelog.broker.log.CompactionLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import io.tidelog.broker.log.CompactionLogs.Kv;
import io.tidelog.protocol.record.CompressionType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleaner threads a LogManager runs: they pick up compacted logs whose dirty ratio reached
 * min.cleanable.dirty.ratio, leave delete-policy logs and clean ones alone, and get out of the
 * way of a topic deletion and of shutdown.
 */
class LogCleanerTest {

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();

    private static final LogConfig COMPACT = TestLogs.smallConfig(SegmentBackend.DEFAULT).segmentBytes(2048)
            .compact(true).delete(false).minCleanableDirtyRatio(0.3).build();
    private static final LogConfig DELETE = TestLogs.smallConfig(SegmentBackend.DEFAULT).segmentBytes(2048).build();

    private LogManager open() throws Exception {
        return LogManager.open(List.of(dir), (topic, partition) -> topic.startsWith("compact") ? COMPACT : DELETE, time, 1,
                new CleanerConfig(true, 1, 10, 1 << 20));
    }

    private static List<Kv> writeUpdates(PartitionLog log, int batches) {
        List<Kv> written = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            written.addAll(append(log, keyed(i, CompressionType.NONE, "key-" + (i % 7), "value-" + i + "-" + "x".repeat(40))));
        }
        return written;
    }

    @Test
    void givenACompactedAndADeleteLog_whenTheCleanerRuns_thenOnlyTheCompactedOneIsCleanedToItsLatestValues() throws Exception {
        try (LogManager manager = open()) {
            PartitionLog compacted = manager.getOrCreateLog("compacted", 0);
            PartitionLog plain = manager.getOrCreateLog("plain", 0);
            List<Kv> written = writeUpdates(compacted, 200);
            writeUpdates(plain, 200);
            compacted.roll();
            plain.roll();
            long plainSize = plain.sizeInBytes();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> compacted.cleanerCheckpoint().firstDirtyOffset() == compacted.activeSegmentBaseOffset());

            assertThat(readAll(compacted, "compacted log")).containsExactlyElementsOf(latestPerKey(written));
            assertThat(plain.sizeInBytes()).isEqualTo(plainSize);
            assertThat(plain.cleanerCheckpoint()).isEqualTo(CleanerCheckpoint.NONE);
            assertThat(manager.cleaner().cleanings()).isPositive();
        }
    }

    @Test
    void givenACompactedLogBeingCleaned_whenItsTopicIsDeleted_thenTheDeletionCompletesAndTheDirectoryIsGone() throws Exception {
        try (LogManager manager = open()) {
            for (int round = 0; round < 5; round++) {
                PartitionLog log = manager.getOrCreateLog("compacted", 0);
                writeUpdates(log, 300);
                log.roll();
                manager.cleaner().wakeup();
                assertThat(manager.deleteLog("compacted", 0)).isTrue();
                assertThat(Files.exists(dir.resolve("compacted-0"))).as("round %d", round).isFalse();
            }
        }
    }
}

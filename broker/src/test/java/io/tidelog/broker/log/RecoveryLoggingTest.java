package io.tidelog.broker.log;

import static io.tidelog.broker.TestLogs.batch;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What an operator reads after a crash: exactly one INFO line per recovered partition. */
class RecoveryLoggingTest {

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(PartitionLog.class);

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void givenATornTail_whenRecovering_thenOneInfoLineNamesSegmentsScannedBytesTruncatedAndMilliseconds() throws Exception {
        LogConfig config = TestLogs.smallConfig(SegmentBackend.DEFAULT).segmentBytes(1024).build();
        PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true);
        for (int i = 0; i < 12; i++) {
            log.append(batch(1, 200, 1), 0);
        }
        List<Long> bases = log.segmentBaseOffsets();
        log.closeWithoutFlush();
        try (FileChannel channel = FileChannel.open(dir.resolve(LogSegment.fileName(bases.get(bases.size() - 1),
                LogSegment.LOG_SUFFIX)), StandardOpenOption.WRITE)) {
            channel.truncate(100); // the first batch of the active segment is torn
        }
        appender.list.clear();

        try (PartitionLog recovered = PartitionLog.open(dir, config, time, bases.get(1), 0, false)) {
            assertThat(recovered.logEndOffset()).isEqualTo(bases.get(bases.size() - 1));
        }

        List<ILoggingEvent> infos = appender.list.stream().filter(e -> e.getLevel() == Level.INFO).toList();
        assertThat(infos).hasSize(1);
        assertThat(infos.get(0).getFormattedMessage())
                .contains(dir.toString())
                .contains("scanned " + (bases.size() - 1) + " segments")
                .contains("truncated 100 bytes")
                .containsPattern("\\d+ ms");
    }

    @Test
    void givenACleanShutdown_whenOpening_thenNothingIsLoggedAtInfo() throws Exception {
        LogConfig config = TestLogs.smallConfig(SegmentBackend.DEFAULT).build();
        try (PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true)) {
            log.append(batch(1, 10, 1), 0);
        }
        appender.list.clear();

        PartitionLog.open(dir, config, time, 0, 0, true).close();

        assertThat(appender.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.INFO));
    }
}

package io.tidelog.broker.log;

import static io.tidelog.broker.TestLogs.batch;
import static io.tidelog.broker.TestLogs.batchesIn;
import static io.tidelog.broker.TestLogs.bytesOf;
import static io.tidelog.broker.TestLogs.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.TestLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A full disk (a real, small tmpfs) fails appends with STORAGE_ERROR, leaves the log at its
 * previous end both in memory and after a crash, and appends work again once space is back.
 * Needs root to mount the tmpfs; skipped otherwise.
 */
class PartitionLogDiskFullTest {

    private static final int TMPFS_BYTES = 4 * 1024 * 1024;

    @TempDir
    static Path mountPoint;
    private static boolean mounted;
    private final MockTime time = new MockTime();

    @BeforeAll
    static void mountSmallTmpfs() throws Exception {
        mounted = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_BYTES, "tmpfs", mountPoint.toString()) == 0;
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mounted) {
            assertThat(run("umount", mountPoint.toString())).as("umount " + mountPoint).isZero();
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenTheDiskFillsUp_whenAppending_thenStorageErrorNothingPartialSurvivesARestartAndAppendsResumeWhenSpaceIsBack(SegmentBackend backend) throws Exception {
        assumeTrue(mounted, "needs to mount a tmpfs (root)");
        Path dir = Files.createDirectories(mountPoint.resolve("topic-" + backend.ordinal()));
        Path ballast = mountPoint.resolve("ballast-" + backend);
        Files.write(ballast, new byte[(int) Files.getFileStore(mountPoint).getUsableSpace() - 700 * 1024]);
        LogConfig config = TestLogs.smallConfig(backend).segmentBytes(256 * 1024).segmentIndexBytes(4096)
                .maxMessageBytes(64 * 1024).build();
        PartitionLog log = PartitionLog.open(dir, config, time, 0, 0, true);
        LogAppendResult failed = null;
        try {
            for (int i = 0; i < 200 && failed == null; i++) {
                LogAppendResult result = log.append(concat(batch(1, 8000, i), batch(1, 8000, i), batch(1, 8000, i)), 0);
                if (!result.isSuccess()) {
                    failed = result;
                }
            }
            assertThat(failed).as("the disk filled up").isNotNull();
            assertThat(failed.error()).isEqualTo(AppendError.STORAGE_ERROR);
            assertThat(failed.message()).contains("log stays at offset " + log.logEndOffset());
            long acknowledgedEnd = log.logEndOffset();
            assertThat(acknowledgedEnd % 3).as("only whole appends are visible").isZero();
            LogReadResult read = log.read(acknowledgedEnd - 1, 1 << 20, Long.MAX_VALUE);
            try {
                assertThat(batchesIn(bytesOf(read.slice()))).extracting(b -> b[1]).containsExactly(acknowledgedEnd - 1);
            } finally {
                read.slice().release();
            }
            assertThat(log.append(batch(1, 8000, 0), 0).error()).as("still full").isEqualTo(AppendError.STORAGE_ERROR);

            log.closeWithoutFlush();
            log = PartitionLog.open(dir, config, time, 0, 0, false);
            assertThat(log.logEndOffset()).as("after a crash nothing of the failed appends comes back").isEqualTo(acknowledgedEnd);

            Files.delete(ballast);
            LogAppendResult resumed = log.append(batch(1, 8000, 0), 0);
            assertThat(resumed.error()).isEqualTo(AppendError.NONE);
            assertThat(resumed.firstOffset()).isEqualTo(acknowledgedEnd);
        } finally {
            log.close();
            Files.deleteIfExists(ballast);
        }
    }
}

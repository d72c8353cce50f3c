package io.tidelog.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A full disk must surface as an {@link IOException} from {@link MappedFile#reserve}, never as a
 * SIGBUS from a store into the mapping. Runs on a 2 MiB tmpfs, so it needs root (or the
 * {@code mount} capability); without it the tests are skipped, not passed.
 */
class MappedFileDiskFullTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());
    private static final int TMPFS_BYTES = 2 * 1024 * 1024;

    @TempDir
    static Path mountPoint;
    private static boolean mounted;

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

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAFullDisk_whenReserving_thenIOExceptionAndAfterSpaceIsFreedAppendsWorkAgain(SegmentBackend backend)
            throws Exception {
        assumeTrue(mounted, "needs to mount a tmpfs (root)");
        Random random = new Random(SEED);
        Path ballast = mountPoint.resolve("ballast-" + backend);
        Files.write(ballast, MappedFileContractTest.randomBytes(random, TMPFS_BYTES / 2));
        Path path = mountPoint.resolve(backend + ".log");
        byte[] first = MappedFileContractTest.randomBytes(random, 4096);
        byte[] last = MappedFileContractTest.randomBytes(random, 4096);
        int capacity = TMPFS_BYTES; // more than is free: the file is sparse, so opening succeeds
        try (MappedFile file = backend.open(path, capacity)) {
            file.reserve(first.length);
            file.write(0, ByteBuffer.wrap(first));

            assertThatThrownBy(() -> file.reserve(capacity))
                    .as("seed %d", SEED)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot reserve disk space");
            assertThatThrownBy(() -> file.reserve(capacity)).as("still full").isInstanceOf(IOException.class);

            Files.delete(ballast);
            file.reserve(capacity);
            file.write(capacity - last.length, ByteBuffer.wrap(last));

            ByteBuffer readFirst = ByteBuffer.allocate(first.length);
            file.read(0, readFirst);
            assertThat(readFirst.array()).as("seed %d: data before the failure is intact", SEED).isEqualTo(first);
            ByteBuffer readLast = ByteBuffer.allocate(last.length);
            file.read(capacity - last.length, readLast);
            assertThat(readLast.array()).as("seed %d", SEED).isEqualTo(last);
        } finally {
            Files.deleteIfExists(ballast);
            Files.deleteIfExists(path);
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}

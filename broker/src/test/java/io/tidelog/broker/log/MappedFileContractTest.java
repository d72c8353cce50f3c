package io.tidelog.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link MappedFile} contract, run against every {@link SegmentBackend}. Randomised cases use a
 * seeded {@link Random}; the seed is in every assertion message and {@code -Dtidelog.seed=N}
 * replays it.
 */
class MappedFileContractTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());
    /** Not a multiple of the page size, on purpose: the file must still be exactly this long. */
    private static final int CAPACITY = 3 * 1024 * 1024 + 123;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenRandomWritesOfEveryBufferKind_whenReadBack_thenEveryByteMatches(SegmentBackend backend) throws IOException {
        Random random = new Random(SEED);
        try (MappedFile file = backend.open(dir.resolve("a.log"), CAPACITY)) {
            file.reserve(CAPACITY);
            for (int i = 0; i < 200; i++) {
                byte[] expected = randomBytes(random, 1 + random.nextInt(70_000));
                long position = random.nextInt(CAPACITY - expected.length + 1);
                ByteBuffer src = bufferOfKind(i % 4, expected);
                int srcPosition = src.position();
                file.write(position, src);
                assertThat(src.position()).as("seed %d: write leaves src position", SEED).isEqualTo(srcPosition);

                ByteBuffer dst = i % 2 == 0 ? ByteBuffer.allocate(expected.length)
                        : ByteBuffer.allocateDirect(expected.length + 16).position(16);
                int dstStart = dst.position();
                file.read(position, dst);
                assertThat(dst.hasRemaining()).as("seed %d: read fills dst", SEED).isFalse();
                assertThat(bytesOf(dst, dstStart, expected.length))
                        .as("seed %d, write %d at %d", SEED, i, position).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenIntsAndLongs_whenWritten_thenTheyReadBackAndAreBigEndianOnDisk(SegmentBackend backend) throws IOException {
        Random random = new Random(SEED);
        Path path = dir.resolve("values.index");
        List<long[]> written = new ArrayList<>();
        try (MappedFile file = backend.open(path, CAPACITY)) {
            file.reserve(CAPACITY);
            for (int i = 0; i < 1000; i++) {
                long position = random.nextInt(CAPACITY / 16) * 16L;
                int intValue = random.nextInt();
                long longValue = random.nextLong();
                file.putInt(position, intValue);
                file.putLong(position + 8, longValue);
                assertThat(file.getInt(position)).as("seed %d", SEED).isEqualTo(intValue);
                assertThat(file.getLong(position + 8)).as("seed %d", SEED).isEqualTo(longValue);
                written.removeIf(w -> w[0] == position);
                written.add(new long[] {position, intValue, longValue});
            }
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer onDisk = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
            for (long[] w : written) {
                channel.read(onDisk.clear(), w[0]);
                assertThat(onDisk.getInt(0)).as("seed %d, big-endian int at %d", SEED, w[0]).isEqualTo((int) w[1]);
                assertThat(onDisk.getLong(8)).as("seed %d, big-endian long at %d", SEED, w[0] + 8).isEqualTo(w[2]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAccessOutsideTheCapacity_whenAttempted_thenIndexOutOfBoundsAndNothingWritten(SegmentBackend backend) throws IOException {
        Path path = dir.resolve("bounds.log");
        try (MappedFile file = backend.open(path, CAPACITY)) {
            file.reserve(CAPACITY);
            ByteBuffer ones = ByteBuffer.wrap(filled(100, (byte) 1));
            List<Consumer<MappedFile>> violations = List.of(
                    f -> f.write(CAPACITY - 99, ones.duplicate()),
                    f -> f.write(-1, ones.duplicate()),
                    f -> f.write(Long.MAX_VALUE - 10, ones.duplicate()),
                    f -> f.putInt(CAPACITY - 3, -1),
                    f -> f.putInt(-4, -1),
                    f -> f.putLong(CAPACITY - 7, -1L),
                    f -> f.getInt(CAPACITY - 3),
                    f -> f.getLong(CAPACITY - 1),
                    f -> f.read(CAPACITY - 10, ByteBuffer.allocate(11)),
                    f -> f.read(-1, ByteBuffer.allocate(1)));
            for (Consumer<MappedFile> violation : violations) {
                assertThatThrownBy(() -> violation.accept(file)).isInstanceOf(IndexOutOfBoundsException.class);
            }
            assertThatThrownBy(() -> file.force(CAPACITY + 1L)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> file.reserve(CAPACITY + 1L)).isInstanceOf(IndexOutOfBoundsException.class);
            // the last byte and the first stay zero: nothing of a rejected write landed
            assertThat(file.getInt(CAPACITY - 4)).isZero();
            assertThat(file.getLong(0)).isZero();
        }
        assertThat(Files.size(path)).isEqualTo(CAPACITY);
        assertThat(Files.readAllBytes(path)).containsOnly(0);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenWritesThroughTheMapping_whenTheFileIsReadThroughAFileChannel_thenTheBytesAreThere(SegmentBackend backend) throws IOException {
        Random random = new Random(SEED);
        Path path = dir.resolve("coherent.log");
        try (MappedFile file = backend.open(path, CAPACITY);
             FileChannel reader = FileChannel.open(path, StandardOpenOption.READ)) {
            long position = 0;
            for (int i = 0; i < 50; i++) {
                byte[] batch = randomBytes(random, 1 + random.nextInt(40_000));
                if (position + batch.length > CAPACITY) {
                    break;
                }
                file.reserve(position + batch.length);
                file.write(position, ByteBuffer.wrap(batch));
                ByteBuffer viaChannel = ByteBuffer.allocate(batch.length);
                reader.read(viaChannel, position);
                assertThat(viaChannel.array()).as("seed %d, batch %d at %d, before any force", SEED, i, position)
                        .isEqualTo(batch);
                position += batch.length;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAFileWrittenByOneBackend_whenReopenedByEither_thenTheDataIsThere(SegmentBackend backend) throws IOException {
        Random random = new Random(SEED);
        Path path = dir.resolve("reopen.log");
        byte[] expected = randomBytes(random, CAPACITY);
        try (MappedFile file = backend.open(path, CAPACITY)) {
            file.reserve(CAPACITY);
            file.write(0, ByteBuffer.wrap(expected));
            file.force(CAPACITY);
        }
        for (SegmentBackend reopenedWith : SegmentBackend.values()) {
            try (MappedFile file = reopenedWith.open(path, CAPACITY)) {
                ByteBuffer actual = ByteBuffer.allocate(CAPACITY);
                file.read(0, actual);
                assertThat(actual.array()).as("seed %d, written by %s, reopened by %s", SEED, backend, reopenedWith)
                        .isEqualTo(expected);
            }
        }
        assertThat(Files.readAllBytes(path)).as("seed %d", SEED).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAReopenedFileFullOfData_whenReservingAllOfIt_thenNoByteChanges(SegmentBackend backend) throws IOException {
        Random random = new Random(SEED);
        Path path = dir.resolve("reserve-existing.log");
        byte[] expected = new byte[CAPACITY];
        try (MappedFile file = backend.open(path, CAPACITY)) {
            // data scattered between holes, as a crashed segment may leave it: some pages untouched
            file.reserve(CAPACITY);
            for (int i = 0; i < 300; i++) {
                byte[] chunk = randomBytes(random, 1 + random.nextInt(5000));
                int position = random.nextInt(CAPACITY - chunk.length);
                file.write(position, ByteBuffer.wrap(chunk));
                System.arraycopy(chunk, 0, expected, position, chunk.length);
            }
        }
        try (MappedFile file = backend.open(path, CAPACITY)) {
            file.reserve(1);
            file.reserve(CAPACITY / 2 + 17);
            file.reserve(CAPACITY);
        }
        assertThat(Files.readAllBytes(path)).as("seed %d", SEED).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAShorterExistingFile_whenOpened_thenItIsExtendedAndReservingKeepsItsData(SegmentBackend backend) throws IOException {
        Random random = new Random(SEED);
        Path path = dir.resolve("trimmed.log");
        byte[] old = randomBytes(random, 1_500_001); // a segment trimmed to its logical size on roll
        Files.write(path, old);
        try (MappedFile file = backend.open(path, CAPACITY)) {
            assertThat(Files.size(path)).isEqualTo(CAPACITY);
            file.reserve(CAPACITY);
            ByteBuffer tail = ByteBuffer.allocate(CAPACITY - old.length);
            file.read(old.length, tail);
            assertThat(tail.array()).as("the extension reads as zeros").containsOnly(0);
        }
        byte[] after = Files.readAllBytes(path);
        assertThat(java.util.Arrays.copyOf(after, old.length)).as("seed %d", SEED).isEqualTo(old);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenWritesThatSkippedReserving_whenReservingLater_thenThoseBytesSurvive(SegmentBackend backend) throws IOException {
        Random random = new Random(SEED);
        Path path = dir.resolve("unreserved.log");
        byte[] data = randomBytes(random, 10_000);
        long farPosition = 2L * BlockReservation.CHUNK_BYTES + 4096 + 5;
        try (MappedFile file = backend.open(path, CAPACITY)) {
            file.reserve(10);
            file.write(farPosition, ByteBuffer.wrap(data)); // beyond the reservation: a caller bug, but not data loss
            file.putLong(BlockReservation.CHUNK_BYTES + 8, 42L);
            file.reserve(CAPACITY);
            assertThat(file.getLong(BlockReservation.CHUNK_BYTES + 8)).isEqualTo(42L);
            ByteBuffer actual = ByteBuffer.allocate(data.length);
            file.read(farPosition, actual);
            assertThat(actual.array()).as("seed %d", SEED).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAFreshFile_whenReserved_thenDiskBlocksBackTheRange(SegmentBackend backend) throws Exception {
        Path path = dir.resolve("blocks.log");
        try (MappedFile file = backend.open(path, CAPACITY)) {
            long before = allocatedBytes(path);
            assertThat(before).as("a fresh file is sparse").isLessThan(BlockReservation.CHUNK_BYTES);
            file.reserve(2L * BlockReservation.CHUNK_BYTES + 1);
            assertThat(allocatedBytes(path)).isGreaterThanOrEqualTo(2L * BlockReservation.CHUNK_BYTES + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAVouchedBackedPrefix_whenReserving_thenThePrefixIsTrustedAndOnlyTheRestIsFilled(SegmentBackend backend)
            throws Exception {
        Path vouched = dir.resolve("vouched.log");
        Path unknown = dir.resolve("unknown.log");
        long prefix = 2L * BlockReservation.CHUNK_BYTES;
        for (Path path : List.of(vouched, unknown)) { // sparse: data at both ends of the prefix, a hole between
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[] {1}), 0);
                channel.write(ByteBuffer.wrap(new byte[] {2}), prefix - 1);
            }
        }
        try (MappedFile trusting = backend.open(vouched, CAPACITY, prefix);
             MappedFile inspecting = backend.open(unknown, CAPACITY)) {
            trusting.reserve(prefix + 1);
            inspecting.reserve(prefix + 1);
            assertThat(allocatedBytes(vouched)).as("the vouched prefix is not read or filled")
                    .isLessThan(prefix);
            assertThat(allocatedBytes(unknown)).as("without the hint the hole in the prefix is filled")
                    .isGreaterThanOrEqualTo(prefix + 1);
            for (MappedFile file : List.of(trusting, inspecting)) {
                ByteBuffer first = ByteBuffer.allocate(1);
                file.read(0, first);
                assertThat(first.get(0)).isEqualTo((byte) 1);
                assertThat(file.getInt(prefix - 4) & 0xFF).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenALongerFile_whenOpenedWithASmallerCapacity_thenRefusedAndTheFileIsUntouched(SegmentBackend backend) throws IOException {
        Path path = dir.resolve("longer.log");
        byte[] content = randomBytes(new Random(SEED), CAPACITY + 1);
        Files.write(path, content);
        assertThatThrownBy(() -> backend.open(path, CAPACITY))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("shrink");
        assertThat(Files.readAllBytes(path)).as("seed %d", SEED).isEqualTo(content);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAMissingFile_whenOpened_thenItIsCreatedWithExactlyTheCapacityAndStaysSo(SegmentBackend backend) throws IOException {
        Path path = dir.resolve("fresh.log");
        try (MappedFile file = backend.open(path, CAPACITY)) {
            assertThat(file.path()).isEqualTo(path);
            assertThat(file.capacity()).isEqualTo(CAPACITY);
            assertThat(Files.size(path)).isEqualTo(CAPACITY);
            file.reserve(CAPACITY);
            file.putInt(CAPACITY - 4, 7);
            file.force(CAPACITY);
            assertThat(Files.size(path)).isEqualTo(CAPACITY);
        }
        assertThat(Files.size(path)).isEqualTo(CAPACITY);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenACapacityOutsideTheIntRange_whenOpening_thenIllegalArgumentAndNoFile(SegmentBackend backend) {
        assertThatThrownBy(() -> backend.open(dir.resolve("zero.log"), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.open(dir.resolve("huge.log"), Integer.MAX_VALUE + 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log.segment.bytes");
        assertThat(dir.resolve("huge.log")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAClosedFile_whenClosedAgain_thenNothingHappens(SegmentBackend backend) throws IOException {
        MappedFile file = backend.open(dir.resolve("twice.log"), CAPACITY);
        file.close();
        assertThatCode(file::close).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAClosedFile_whenAnyMethodIsCalled_thenIllegalStateInsteadOfACrash(SegmentBackend backend) throws IOException {
        MappedFile file = backend.open(dir.resolve("closed.log"), CAPACITY);
        file.reserve(CAPACITY);
        file.putLong(0, 1L);
        file.close();
        List<ThrowingCall> calls = List.of(
                file::path, file::capacity,
                () -> file.write(0, ByteBuffer.allocate(8)),
                () -> file.read(0, ByteBuffer.allocate(8)),
                () -> file.read(0, ByteBuffer.allocateDirect(8)),
                () -> file.putInt(0, 1), () -> file.getInt(0),
                () -> file.putLong(0, 1), () -> file.getLong(0),
                () -> file.reserve(10), () -> file.force(10));
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::call).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAnOpenFile_whenClosed_thenProcSelfMapsNoLongerListsIt(SegmentBackend backend) throws IOException {
        Path path = dir.resolve("unmapped.log");
        MappedFile file = backend.open(path, CAPACITY);
        file.reserve(CAPACITY);
        file.putLong(8, 8L);
        String realPath = path.toRealPath().toString();
        assertThat(mappingsOf(realPath)).as("mapped while open").isNotEmpty();
        file.close();
        assertThat(mappingsOf(realPath)).as("no mapping left right after close").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAWriterHandingOffToAnotherThread_whenBothWriteAndReadersReadElsewhere_thenAllSeeEveryWrite(
            SegmentBackend backend) throws Exception {
        Random random = new Random(SEED);
        byte[] first = randomBytes(random, 50_000);
        byte[] second = randomBytes(random, 50_000);
        ExecutorService writerA = Executors.newSingleThreadExecutor();
        ExecutorService writerB = Executors.newSingleThreadExecutor();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (MappedFile file = backend.open(dir.resolve("handoff.log"), CAPACITY)) {
            // executor submission and Future.get are the happens-before edges of the hand-off
            writerA.submit(() -> {
                file.reserve(first.length);
                file.write(0, ByteBuffer.wrap(first));
                file.putLong(CAPACITY - 8, 1L);
                return null;
            }).get(30, TimeUnit.SECONDS);
            writerB.submit(() -> {
                file.reserve(first.length + second.length);
                file.write(first.length, ByteBuffer.wrap(second));
                file.putLong(CAPACITY - 8, 2L);
                return null;
            }).get(30, TimeUnit.SECONDS);
            Future<byte[]> read = reader.submit(() -> {
                ByteBuffer all = ByteBuffer.allocateDirect(first.length + second.length);
                file.read(0, all);
                return bytesOf(all, 0, all.capacity());
            });
            byte[] expected = new byte[first.length + second.length];
            System.arraycopy(first, 0, expected, 0, first.length);
            System.arraycopy(second, 0, expected, first.length, second.length);
            assertThat(read.get(30, TimeUnit.SECONDS)).as("seed %d", SEED).isEqualTo(expected);
            assertThat(reader.submit(() -> file.getLong(CAPACITY - 8)).get(30, TimeUnit.SECONDS)).isEqualTo(2L);
        } finally {
            writerA.shutdownNow();
            writerB.shutdownNow();
            reader.shutdownNow();
        }
    }

    @Test
    void theDefaultBackendIsOneOfTheTwo() {
        assertThat(SegmentBackend.DEFAULT).isIn((Object[]) SegmentBackend.values());
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void call() throws Exception;
    }

    static List<String> mappingsOf(String realPath) throws IOException {
        List<String> hits = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.endsWith(" " + realPath) || line.endsWith(" " + realPath + " (deleted)")) {
                hits.add(line);
            }
        }
        return hits;
    }

    /** Disk space actually allocated to a file, from {@code stat}'s block count (512-byte units). */
    static long allocatedBytes(Path path) throws Exception {
        Process stat = new ProcessBuilder("stat", "--format=%b", path.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes()).trim();
        assertThat(stat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stat.exitValue()).as("stat output: %s", out).isZero();
        return Long.parseLong(out) * 512;
    }

    private static ByteBuffer bufferOfKind(int kind, byte[] content) {
        switch (kind) {
            case 0:
                return ByteBuffer.wrap(content);
            case 1: {
                ByteBuffer direct = ByteBuffer.allocateDirect(content.length + 7);
                direct.position(7);
                direct.put(content).position(7);
                return direct;
            }
            case 2: { // a heap slice: non-zero arrayOffset
                byte[] padded = new byte[content.length + 13];
                System.arraycopy(content, 0, padded, 13, content.length);
                return ByteBuffer.wrap(padded).position(13).slice();
            }
            default:
                return ByteBuffer.wrap(content).asReadOnlyBuffer();
        }
    }

    private static byte[] bytesOf(ByteBuffer buffer, int from, int length) {
        byte[] bytes = new byte[length];
        buffer.get(from, bytes);
        return bytes;
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }
}

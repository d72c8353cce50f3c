package io.tidelog.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.broker.TestLogs;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** OffsetIndex and TimeIndex: lookups, truncation, trimming on seal and the sanity check on open. */
class SegmentIndexTest {

    @TempDir
    Path dir;

    private LogConfig config(SegmentBackend backend) {
        return TestLogs.smallConfig(backend).segmentIndexBytes(800).build();
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenOffsetEntries_whenLookingUp_thenThePositionOfTheLargestEntryAtOrBelowTheTargetIsReturned(SegmentBackend backend) throws Exception {
        try (OffsetIndex index = OffsetIndex.create(dir.resolve("a.index"), 1000, config(backend))) {
            for (int i = 1; i <= 50; i++) {
                index.append(1000 + i * 10L, i * 4096);
            }
            assertThat(index.lookup(999)).as("below the base").isZero();
            assertThat(index.lookup(1005)).as("before the first entry").isZero();
            assertThat(index.lookup(1010)).isEqualTo(4096);
            assertThat(index.lookup(1019)).isEqualTo(4096);
            assertThat(index.lookup(1255)).isEqualTo(25 * 4096);
            assertThat(index.lookup(Long.MAX_VALUE)).isEqualTo(50 * 4096);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAnIndex_whenItIsFull_thenItSaysSoAndIgnoresFurtherEntries(SegmentBackend backend) throws Exception {
        try (OffsetIndex index = OffsetIndex.create(dir.resolve("a.index"), 0, config(backend))) {
            for (int i = 1; i <= 100; i++) {
                index.append(i, i * 10);
            }
            assertThat(index.isFull()).isTrue();
            assertThat(index.entryCount()).isEqualTo(800 / OffsetIndexLayout.ENTRY_SIZE);
            assertThat(index.lookup(1000)).isEqualTo(100 * 10);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenASealedIndex_whenReopened_thenTheFileIsTrimmedToItsEntriesAndLookupsStillWork(SegmentBackend backend) throws Exception {
        Path path = dir.resolve("a.index");
        try (OffsetIndex index = OffsetIndex.create(path, 0, config(backend))) {
            assertThat(Files.size(path)).as("preallocated").isEqualTo(800);
            for (int i = 1; i <= 7; i++) {
                index.append(i * 3, i * 100);
            }
            index.truncateTo(18);
            index.seal();
        }
        assertThat(Files.size(path)).isEqualTo(5 * OffsetIndexLayout.ENTRY_SIZE);

        try (OffsetIndex reopened = OffsetIndex.openSealed(path, 0, config(backend), 10_000)) {
            assertThat(reopened.entryCount()).isEqualTo(5);
            assertThat(reopened.lookup(100)).isEqualTo(500);
            assertThat(reopened.lastOffset()).isEqualTo(15);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenOutOfOrderOrOversizedEntries_whenOpening_thenTheIndexIsReportedCorrupt(SegmentBackend backend) throws Exception {
        Path path = dir.resolve("a.index");
        ByteBuffer entries = ByteBuffer.allocate(16).putInt(5).putInt(100).putInt(4).putInt(200).flip();
        Files.write(path, entries.array());
        assertThatThrownBy(() -> OffsetIndex.openSealed(path, 0, config(backend), 10_000))
                .isInstanceOf(CorruptIndexException.class).hasMessageContaining("out of order");

        Files.write(path, ByteBuffer.allocate(8).putInt(5).putInt(20_000).array());
        assertThatThrownBy(() -> OffsetIndex.openSealed(path, 0, config(backend), 10_000)).isInstanceOf(CorruptIndexException.class);

        Files.write(path, new byte[13]);
        assertThatThrownBy(() -> OffsetIndex.openSealed(path, 0, config(backend), 10_000))
                .isInstanceOf(CorruptIndexException.class).hasMessageContaining("multiple");

        assertThatThrownBy(() -> OffsetIndex.openSealed(dir.resolve("missing.index"), 0, config(backend), 10_000))
                .isInstanceOf(CorruptIndexException.class).hasMessageContaining("missing");
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenTimeEntries_whenLookingUp_thenTheScanStartsAfterEveryBatchKnownToBeOlder(SegmentBackend backend) throws Exception {
        try (TimeIndex index = TimeIndex.create(dir.resolve("a.timeindex"), 100, config(backend))) {
            index.maybeAppend(1000, 100);
            index.maybeAppend(1000, 105); // not larger: ignored
            index.maybeAppend(2000, 110);
            index.maybeAppend(3000, 120);

            assertThat(index.entryCount()).isEqualTo(3);
            assertThat(index.lookup(500)).isEqualTo(100);
            assertThat(index.lookup(1000)).as("nothing is known to be older than 1000").isEqualTo(100);
            assertThat(index.lookup(1001)).isEqualTo(100);
            assertThat(index.lookup(2500)).isEqualTo(110);
            assertThat(index.lookup(9999)).isEqualTo(120);
            assertThat(index.lastTimestamp()).isEqualTo(3000);

            index.truncateTo(115);
            assertThat(index.lastTimestamp()).isEqualTo(2000);
            assertThat(index.lookup(9999)).isEqualTo(110);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenATimeIndexWithDecreasingTimestamps_whenOpening_thenItIsReportedCorrupt(SegmentBackend backend) throws Exception {
        Path path = dir.resolve("a.timeindex");
        Files.write(path, ByteBuffer.allocate(24).putLong(2000).putInt(1).putLong(1000).putInt(2).array());
        assertThatThrownBy(() -> TimeIndex.openSealed(path, 0, config(backend))).isInstanceOf(CorruptIndexException.class);
    }

    @ParameterizedTest
    @EnumSource(SegmentBackend.class)
    void givenAnEmptySealedIndex_whenReopened_thenItHasNoEntriesAndNoMapping(SegmentBackend backend) throws Exception {
        Path path = dir.resolve("a.index");
        try (OffsetIndex index = OffsetIndex.create(path, 0, config(backend))) {
            index.seal();
        }
        assertThat(Files.size(path)).isZero();
        try (OffsetIndex reopened = OffsetIndex.openSealed(path, 0, config(backend), 0)) {
            assertThat(reopened.lookup(5)).isZero();
            reopened.activate(800);
            reopened.append(5, 10);
            assertThat(reopened.lookup(5)).isEqualTo(10);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            assertThat(channel.size()).as("reactivated: preallocated again").isEqualTo(800);
        }
    }
}

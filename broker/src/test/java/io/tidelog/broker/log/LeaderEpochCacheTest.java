package io.tidelog.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.broker.log.LeaderEpochCache.EpochEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochCacheTest {

    @TempDir
    Path dir;

    private LeaderEpochCache cacheWith(int... epochAndStart) throws IOException {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        for (int i = 0; i < epochAndStart.length; i += 2) {
            cache.assign(epochAndStart[i], epochAndStart[i + 1]);
        }
        return cache;
    }

    @Test
    void givenTheLatestEpochAgain_whenAssigning_thenNothingChanges() throws Exception {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10);
        cache.assign(3, 15);
        assertThat(cache.entries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 10));
        assertThat(cache.latestEpoch()).isEqualTo(3);
    }

    @Test
    void givenEpochs_whenAskingForTheEndOfEachEpoch_thenTheAnswersFollowOffsetForLeaderEpoch() throws Exception {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10, 4, 25);
        long leo = 40;
        assertThat(cache.endOffsetFor(4, leo)).as("latest epoch ends at the LEO").isEqualTo(new EpochEndOffset(4, 40));
        assertThat(cache.endOffsetFor(3, leo)).isEqualTo(new EpochEndOffset(3, 25));
        assertThat(cache.endOffsetFor(2, leo)).as("unknown epoch: the largest below it").isEqualTo(new EpochEndOffset(1, 10));
        assertThat(cache.endOffsetFor(0, leo)).as("below the first epoch").isEqualTo(new EpochEndOffset(0, 0));
        assertThat(cache.endOffsetFor(5, leo)).as("above the latest").isEqualTo(EpochEndOffset.UNKNOWN);
        assertThat(LeaderEpochCache.load(dir.resolve("..").resolve(dir.getFileName())).endOffsetFor(1, 5))
                .as("empty cache").isEqualTo(EpochEndOffset.UNKNOWN);
    }

    @Test
    void givenATruncatedLog_whenTruncatingFromTheEnd_thenEpochsStartingAtOrAfterItGo() throws Exception {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10, 4, 25);
        cache.truncateFromEnd(25);
        assertThat(cache.entries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 10));
        assertThat(cache.latestEpoch()).isEqualTo(3);
    }

    @Test
    void givenAnAdvancedLogStart_whenTruncatingFromTheStart_thenTheCoveringEpochStartsThere() throws Exception {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10, 4, 25);
        cache.truncateFromStart(12);
        assertThat(cache.entries()).containsExactly(new EpochEntry(3, 12), new EpochEntry(4, 25));
        cache.truncateFromStart(5);
        assertThat(cache.entries()).as("moving backwards changes nothing").containsExactly(new EpochEntry(3, 12), new EpochEntry(4, 25));
    }

    @Test
    void givenAConflictingHistory_whenAssigningALowerStartOffset_thenLaterEntriesAreDroppedToStayMonotonic() throws Exception {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10, 4, 25);
        cache.assign(5, 20);
        assertThat(cache.entries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 10), new EpochEntry(5, 20));
    }

    @Test
    void givenAFlushedCache_whenLoadingIt_thenTheEntriesComeBackFromTheCheckpointFile() throws Exception {
        LeaderEpochCache cache = cacheWith(2, 0, 7, 100);
        cache.flush();

        assertThat(Files.readAllLines(dir.resolve(LeaderEpochCache.FILE_NAME))).containsExactly("0", "2", "2 0", "7 100");
        assertThat(LeaderEpochCache.load(dir).entries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(7, 100));
    }

    @Test
    void givenAMalformedCheckpoint_whenLoading_thenTheErrorNamesTheFile() throws Exception {
        Files.writeString(dir.resolve(LeaderEpochCache.FILE_NAME), "0\n1\nnot-a-number 5\n");
        assertThatThrownBy(() -> LeaderEpochCache.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(LeaderEpochCache.FILE_NAME);
    }
}

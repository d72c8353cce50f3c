package io.tidelog.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

    @TempDir
    Path dir;

    @Test
    void givenEntries_whenWrittenAndReadBack_thenTheyAreEqualAndNoTempFileRemains() throws Exception {
        CheckpointFile file = new CheckpointFile(dir.resolve("recovery-point-offset-checkpoint"));
        file.write(List.of("a 0 10", "b 1 20"));
        file.write(List.of("a 0 11"));

        assertThat(file.read()).containsExactly("a 0 11");
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void givenACrashMidWrite_whenReading_thenTheOldContentIsIntactAndTheTempFileIsCleanedUp() throws Exception {
        CheckpointFile file = new CheckpointFile(dir.resolve("cp"));
        file.write(List.of("1 5"));
        Files.writeString(dir.resolve("cp.tmp"), "0\n3\n1 5\n"); // torn: declares 3 entries

        assertThat(file.read()).containsExactly("1 5");
        file.deleteStaleTemp();
        assertThat(dir.resolve("cp.tmp")).doesNotExist();
    }

    @Test
    void givenNoFile_whenReading_thenThereAreNoEntries() throws Exception {
        assertThat(new CheckpointFile(dir.resolve("missing")).read()).isEmpty();
    }

    @Test
    void givenATruncatedFile_whenReading_thenTheErrorNamesTheFile() throws Exception {
        Files.writeString(dir.resolve("cp"), "0\n3\n1 5\n");
        assertThatThrownBy(() -> new CheckpointFile(dir.resolve("cp")).read()).isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("cp").toString()).hasMessageContaining("declares 3 entries");
    }
}

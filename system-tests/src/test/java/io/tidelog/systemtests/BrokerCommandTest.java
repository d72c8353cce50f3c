package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tidelog broker} as an operator meets it: refusing bad configuration, help and version. */
class BrokerCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    @Test
    void anUnknownKeyStopsStartupWithOneLineNamingTheKey() {
        TidelogCommand.Result result = TidelogCommand.run(workDir, TIMEOUT,
                "broker", "--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override", "log.retention.hourz=5");

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderrLines()).as(result.toString()).containsExactly(
                "tidelog broker: Unknown configuration key 'log.retention.hourz' (did you mean 'log.retention.hours'?)");
        assertThat(workDir.resolve("data")).as("nothing was started, so no data directory").doesNotExist();
    }

    @Test
    void aBadValueStopsStartupWithOneLineNamingTheKeyAndTheValue() {
        TidelogCommand.Result result = TidelogCommand.run(workDir, TIMEOUT,
                "broker", "--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override", "num.partitions=zero");

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderrLines()).as(result.toString()).containsExactly(
                "tidelog broker: Invalid value 'zero' for configuration key 'num.partitions': must be an integer");
    }

    @Test
    void aBadKeyInThePropertiesFileStopsStartupNamingTheKey() throws Exception {
        Path properties = workDir.resolve("server.properties");
        Files.writeString(properties, "listeners=PLAINTEXT://127.0.0.1:0\nlog.segment.bytes=1GB\n");

        TidelogCommand.Result result = TidelogCommand.run(workDir, TIMEOUT, "broker", properties.toString());

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderrLines()).as(result.toString()).hasSize(1);
        assertThat(result.stderr()).contains("'log.segment.bytes'").contains("'1GB'");
    }

    @Test
    void anOverrideWithoutAValueIsRejectedInOneLine() {
        TidelogCommand.Result result = TidelogCommand.run(workDir, TIMEOUT, "broker", "--override", "num.partitions");

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderrLines()).as(result.toString())
                .containsExactly("tidelog broker: Invalid override 'num.partitions': expected key=value");
    }

    @Test
    void helpDescribesTheBrokerCommandAndExitsZero() {
        TidelogCommand.Result result = TidelogCommand.run(workDir, TIMEOUT, "broker", "--help");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("Usage: tidelog broker").contains("--override").contains("server.properties");
    }

    @Test
    void versionPrintsTheProjectVersion() {
        TidelogCommand.Result result = TidelogCommand.run(workDir, TIMEOUT, "--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).startsWith("tidelog 0.");
    }
}

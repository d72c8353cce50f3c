package io.tidelog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The command line as an operator types it; nothing here gets far enough to start a broker. */
class TidelogCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Tidelog.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void withoutASubcommandItShowsWhatThereIsToRunAndExits2() {
        assertThat(run()).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(err.toString()).contains("Usage: tidelog").contains("broker");
    }

    @Test
    void anUnknownOptionIsOneLinePointingAtHelp() {
        assertThat(run("broker", "--overide", "x=1")).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(err.toString().lines()).containsExactly(
                "tidelog broker: Unknown option: '--overide' (see 'tidelog broker --help')");
    }

    @Test
    void anUnknownConfigurationKeyIsOneLineNamingItAndExits2() {
        assertThat(run("broker", "--override", "num.partition=3")).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(err.toString().lines()).containsExactly(
                "tidelog broker: Unknown configuration key 'num.partition' (did you mean 'num.partitions'?)");
    }

    @Test
    void aMissingPropertiesFileIsOneLineNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("server.properties");

        assertThat(run("broker", missing.toString())).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(err.toString().lines()).containsExactly(
                "tidelog broker: Configuration file " + missing + " does not exist");
    }

    @Test
    void theLastOverrideOfAKeyWins() {
        assertThat(run("broker", "--override", "num.partitions=zero", "--override", "num.partitions=x"))
                .isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(err.toString()).contains("Invalid value 'x'").doesNotContain("zero");
    }

    @Test
    void versionNamesTidelogAndTheJavaRuntime() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("tidelog ").contains("Java " + Runtime.version().feature());
    }

    @Test
    void brokerHelpListsTheOverrideOptionAndThePropertiesFile() {
        assertThat(run("broker", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: tidelog broker").contains("--override=key=value")
                .contains("[server.properties]");
    }
}

package io.tidelog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tidelog.tools.CliRunner.Outcome;

/** Help and shell completion: available for every command without a broker. */
class CompletionAndHelpTest {

    @Test
    void theCompletionScriptIsBashThatKnowsEverySubcommand() {
        Outcome completion = CliRunner.run("completion");

        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("tidelog")
                .contains("topics").contains("produce").contains("consume").contains("groups").contains("log")
                .contains("reset-offsets").contains("--bootstrap-server");
    }

    @Test
    void theTopLevelHelpListsEveryCommand() {
        Outcome help = CliRunner.run("--help");

        assertThat(help.exitCode()).isZero();
        for (String command : new String[] {"broker", "topics", "produce", "consume", "groups", "log", "perf",
                "completion"}) {
            assertThat(help.out()).as(command).containsPattern("(?m)^  " + command + "\\s");
        }
    }

    @Test
    void everyCommandAnswersHelpWithExit0() {
        String[][] commands = {{"produce"}, {"consume"}, {"groups", "list"}, {"groups", "describe"},
                {"groups", "reset-offsets"}, {"groups", "delete"}, {"log", "dump"}, {"completion"}};
        for (String[] command : commands) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            Outcome help = CliRunner.run(args);
            assertThat(help.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(help.out()).as(String.join(" ", command)).contains("Usage: tidelog " + String.join(" ", command));
        }
    }

    @Test
    void aGroupOfCommandsWithoutASubcommandShowsItsUsageAndExits2() {
        Outcome topics = CliRunner.run("topics");

        assertThat(topics.exitCode()).isEqualTo(Tidelog.EXIT_USAGE);
        assertThat(topics.err()).contains("Usage: tidelog topics").contains("create").contains("describe");
    }
}

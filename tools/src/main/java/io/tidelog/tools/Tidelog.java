package io.tidelog.tools;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.tidelog.perf.load.PerfCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code tidelog} command: one executable, one subcommand per job. Exit codes: 0 success,
 * 1 a failure at run time (say, the port is taken), 2 a bad command line or configuration.
 * Failures print one line to stderr naming what was wrong; no stack traces for operator errors.
 */
@Command(name = "tidelog",
        mixinStandardHelpOptions = true,
        versionProvider = TidelogVersion.class,
        description = "Tidelog: a Kafka-compatible log broker.",
        subcommands = {BrokerCommand.class, TopicsCommand.class, ProduceCommand.class, ConsumeCommand.class,
                GroupsCommand.class, LogCommand.class, PerfCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Tidelog implements Callable<Integer> {

    /** Exit code of a command that failed while running. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a bad command line or configuration. */
    public static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    /** True when running as the {@code tidelog} process (not inside tests): commands may take over SIGINT/SIGTERM. */
    private static volatile boolean handlesSignals;

    public static void main(String[] args) {
        ChronicleDefaults.apply();
        LogDefaults.apply(args);
        handlesSignals = true;
        int exitCode = commandLine().execute(args);
        System.exit(exitCode);
    }

    static boolean handlesSignals() {
        return handlesSignals;
    }

    /** The configured picocli command line; tests drive it with their own output writers. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Tidelog());
        commandLine.setExitCodeExceptionMapper(e -> EXIT_FAILURE);
        commandLine.setParameterExceptionHandler(Tidelog::reportUsageError);
        commandLine.setExecutionExceptionHandler(Tidelog::reportFailure);
        return commandLine;
    }

    /** {@code tidelog} without a subcommand: show what there is to run. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /**
     * A command failed while running: one line, {@code error: <what happened>}, exit 1. Failures
     * an operator can act on (broker unreachable, unknown topic, bad client setting) carry a
     * message written for them; anything else is a bug, shown by type and message.
     */
    private static int reportFailure(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println("error: " + FailureMessages.describe(e));
        err.flush();
        return EXIT_FAILURE;
    }

    /** One line saying what was wrong and how to get help, instead of picocli's full usage dump. */
    private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage()
                + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return EXIT_USAGE;
    }
}

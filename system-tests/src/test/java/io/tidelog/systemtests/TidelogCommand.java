package io.tidelog.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar tidelog.jar <args>} (to completion, or started and stopped) and captures what it printed. */
final class TidelogCommand {

    /** What a finished command left behind. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private TidelogCommand() {
    }

    /** Runs with {@code workDir} as the working directory; kills the process after {@code timeout}. */
    static Result run(Path workDir, Duration timeout, String... args) {
        return start(workDir, null, args).await(timeout);
    }

    /** As {@link #run(Path, Duration, String...)}, with {@code stdin} as the process's standard input. */
    static Result runWithInput(Path workDir, Duration timeout, String stdin, String... args) {
        return start(workDir, stdin, args).await(timeout);
    }

    /** Starts the command and returns at once; {@code stdin} null means no input (end of file). */
    static Running start(Path workDir, String stdin, String... args) {
        List<String> command = BrokerProcess.javaCommand();
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            Path in = Files.createTempFile(workDir, "stdin", ".txt");
            Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectInput(in.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Running(process, String.join(" ", args), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command still running (a consumer waiting for records). */
    static final class Running {
        private final Process process;
        private final String description;
        private final Path out;
        private final Path err;

        private Running(Process process, String description, Path out, Path err) {
            this.process = process;
            this.description = description;
            this.out = out;
            this.err = err;
        }

        /** What it has printed on stdout so far. */
        String stdoutSoFar() {
            try {
                return Files.readString(out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** SIGTERM, as a service manager (or Ctrl-C's sibling) stops it. */
        void terminate() {
            process.destroy();
        }

        /** Waits for the process to end; kills it and fails after {@code timeout}. */
        Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("`tidelog " + description + "` still running after " + timeout
                            + "\n" + Files.readString(out) + Files.readString(err));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

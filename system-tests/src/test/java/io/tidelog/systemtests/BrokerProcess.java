package io.tidelog.systemtests;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Tidelog broker running as a real operating-system process, started from the runnable jar
 * {@code tools/target/tidelog.jar} exactly as an operator would start it (minus the launcher).
 *
 * <p>It listens on {@code 127.0.0.1:0}; the port it got is read from the broker's
 * {@code "serving on host:port"} log line, so tests never race a fixed port. Its stdout is copied to
 * {@code target/broker-logs/<name>.log} and its stderr to {@code <name>.err}, appended across
 * restarts, for diagnosis. The data directory survives {@link #stop()} and {@link #kill9()}, so
 * {@link #restart()} recovers the same logs.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("serving on (.+):(\\d+) \\(data in");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path dataDir;
    private final List<String> overrides;
    private final Path stdoutLog;
    private final Path stderrLog;

    private Process process;
    private int port;
    private int starts;
    private long runLogStart;

    private BrokerProcess(String name, Path dataDir, List<String> overrides) {
        this.name = name;
        this.dataDir = dataDir;
        this.overrides = List.copyOf(overrides);
        Path logs = moduleDir().resolve("target").resolve("broker-logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.stdoutLog = logs.resolve(name + ".log");
        this.stderrLog = logs.resolve(name + ".err");
    }

    /**
     * Starts a broker keeping its data in {@code dataDir}, with extra {@code key=value} settings,
     * and returns once it serves.
     */
    public static BrokerProcess start(String name, Path dataDir, String... overrides) {
        BrokerProcess broker = new BrokerProcess(name, dataDir, List.of(overrides));
        broker.launch();
        return broker;
    }

    /** {@code host:port} for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * SIGTERM, then waits for the process to end; a graceful stop must exit with status 0, and the
     * run must not have logged a Netty buffer leak (leak detection is paranoid in these tests).
     */
    public void stop() {
        process.destroy();
        int exitCode = awaitExit(process, STOP_TIMEOUT);
        if (exitCode != 0) {
            throw new AssertionError("broker " + name + " exited with " + exitCode + " after SIGTERM, expected 0\n"
                    + diagnostics());
        }
        String runLog = runLog();
        if (runLog.contains("LEAK:")) {
            throw new AssertionError("broker " + name + " reported a ByteBuf leak, see " + stdoutLog + "\n"
                    + runLog.substring(runLog.indexOf("LEAK:")));
        }
    }

    /** What the current (or last) run printed on stdout. */
    private String runLog() {
        try {
            byte[] all = Files.readAllBytes(stdoutLog);
            int from = (int) Math.min(runLogStart, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no checkpoint. */
    public void kill9() {
        process.destroyForcibly();
        awaitExit(process, STOP_TIMEOUT);
    }

    /** Starts the broker again on the same data directory (on a new port). */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException("broker " + name + " is still running");
        }
        launch();
    }

    /** Kills the process if a test left it running. */
    @Override
    public void close() {
        if (isAlive()) {
            kill9();
        }
    }

    /** Everything the broker printed on stderr across its runs, without this fixture's start markers. */
    public String stderr() {
        try {
            return Files.readAllLines(stderrLog, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.startsWith("=== start "))
                    .reduce("", (text, line) -> text + line + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker's stdout and stderr so far, for assertion messages. */
    public String diagnostics() {
        return "--- " + stdoutLog + " (tail) ---\n" + tail(stdoutLog) + "--- " + stderrLog + " (tail) ---\n" + tail(stderrLog);
    }

    private void launch() {
        starts++;
        List<String> command = javaCommand();
        command.add("broker");
        command.add("--override");
        command.add("listeners=PLAINTEXT://127.0.0.1:0");
        command.add("--override");
        command.add("log.dirs=" + dataDir);
        for (String override : overrides) {
            command.add("--override");
            command.add(override);
        }
        appendLine(stdoutLog, "=== start " + starts + ": " + String.join(" ", command));
        runLogStart = stdoutLog.toFile().length();
        appendLine(stderrLog, "=== start " + starts);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        port = awaitServingPort(process);
    }

    /** Copies stdout to the log file on a daemon thread and completes with the port once "serving on" appears. */
    private int awaitServingPort(Process started) {
        CompletableFuture<Integer> serving = new CompletableFuture<>();
        Thread pump = new Thread(() -> pumpStdout(started, serving), "broker-" + name + "-stdout");
        pump.setDaemon(true);
        pump.start();
        try {
            return serving.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            started.destroyForcibly();
            throw new IllegalStateException("broker " + name + " did not start serving: " + e.getMessage() + "\n"
                    + diagnostics(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.destroyForcibly();
            throw new IllegalStateException("interrupted while starting broker " + name, e);
        }
    }

    private void pumpStdout(Process started, CompletableFuture<Integer> serving) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter log = Files.newBufferedWriter(stdoutLog, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.write(line);
                log.newLine();
                log.flush();
                Matcher matcher = SERVING.matcher(line);
                if (!serving.isDone() && matcher.find()) {
                    serving.complete(Integer.parseInt(matcher.group(2)));
                }
            }
        } catch (IOException e) {
            serving.completeExceptionally(e);
        }
        serving.completeExceptionally(new IllegalStateException("process ended (exit code "
                + awaitExit(started, STOP_TIMEOUT) + ") before it logged 'serving on'"));
    }

    /** The command that runs the jar on this JVM, with the flags Java 23+ needs on top of the manifest's. */
    static List<String> javaCommand() {
        Path jar = toolsJar();
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-Dio.netty.leakDetection.level=paranoid");
        if (Runtime.version().feature() >= 23) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /** {@code tools/target/tidelog.jar}; the reactor packages {@code tools} before these tests run. */
    static Path toolsJar() {
        Path jar = moduleDir().resolveSibling("tools").resolve("target").resolve("tidelog.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with "
                    + "`mvn -DskipTests -pl tools -am package` (mvn verify does this before the system tests)");
        }
        return jar;
    }

    static Path moduleDir() {
        return Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    private static int awaitExit(Process process, Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("process " + process.pid() + " did not exit within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            StringBuilder text = new StringBuilder();
            for (String line : lines.subList(Math.max(0, lines.size() - 60), lines.size())) {
                text.append(line).append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")\n";
        }
    }
}

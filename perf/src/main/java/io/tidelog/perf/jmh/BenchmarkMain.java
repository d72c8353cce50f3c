package io.tidelog.perf.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of {@code tidelog-benchmarks.jar}: JMH's own command line, plus the JVM flags the
 * storage backends need appended to every forked JVM. Those flags come from the root pom's
 * {@code tidelog.jvm.flags} (filtered into {@code tidelog-jvm-flags.properties} at build time), so
 * they stay defined in one place.
 */
public final class BenchmarkMain {

    /** What the root pom's {@code jdk23-plus} profile adds; needed when the forks run on Java 23+. */
    private static final List<String> JDK23_FLAGS =
            List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        CommandLineOptions commandLine;
        try {
            commandLine = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (commandLine.shouldHelp() || commandLine.shouldList() || commandLine.shouldListWithParams()
                || commandLine.shouldListProfilers() || commandLine.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        List<String> jvmArgs = new ArrayList<>(commandLine.getJvmArgsAppend().orElse(List.of()));
        jvmArgs.addAll(storageFlags());
        ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine)
                .jvmArgsAppend(jvmArgs.toArray(new String[0]));
        new Runner(options.build()).run();
    }

    static List<String> storageFlags() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = BenchmarkMain.class.getResourceAsStream("/tidelog-jvm-flags.properties")) {
            if (in == null) {
                throw new IOException("tidelog-jvm-flags.properties missing from the benchmark jar");
            }
            properties.load(in);
        }
        List<String> flags = new ArrayList<>(Arrays.asList(properties.getProperty("flags", "").trim().split("\\s+")));
        flags.removeIf(String::isEmpty);
        if (Runtime.version().feature() >= 23) {
            flags.addAll(JDK23_FLAGS);
        }
        return flags;
    }
}

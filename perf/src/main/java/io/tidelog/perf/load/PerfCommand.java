package io.tidelog.perf.load;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tidelog perf}: the load tool. Drives any Kafka-protocol broker through Tidelog's own
 * clients, so Tidelog and Apache Kafka are measured by the same code. Subcommands {@code produce},
 * {@code consume}, {@code e2e} and {@code run WORKLOAD}; flags in {@link LoadOptions}.
 *
 * <p>Exit codes: 0 the run completed cleanly; 1 sends failed, a consumer failed, or
 * {@code --verify} found lost, duplicated or reordered records; 2 a bad command line or workload.
 * Runnable on its own ({@link #main}) or as a subcommand of the {@code tidelog} CLI.
 */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = "Load-test a Kafka-protocol broker (Tidelog or Apache Kafka) with Tidelog's clients.",
        subcommands = CommandLine.HelpCommand.class)
public final class PerfCommand implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PerfCommand()).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    @Command(name = "produce", mixinStandardHelpOptions = true,
            description = "Send records; measure throughput and acknowledgement latency.")
    int produce(@Mixin LoadOptions options) {
        return run(options, Mode.PRODUCE);
    }

    @Command(name = "consume", mixinStandardHelpOptions = true,
            description = "Read what is in the topic from its beginning; measure throughput.")
    int consume(@Mixin LoadOptions options) {
        return run(options, Mode.CONSUME);
    }

    @Command(name = "e2e", mixinStandardHelpOptions = true,
            description = "Produce and consume in one process; measure produce-to-consume latency too.")
    int e2e(@Mixin LoadOptions options) {
        return run(options, Mode.E2E);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a workload file (its 'mode' key says produce, consume or e2e); flags override its keys.")
    int runWorkload(@Parameters(paramLabel = "WORKLOAD", description = "Workload properties file.") Path file,
                    @Mixin LoadOptions options) {
        options.workloadFile = file;
        return run(options, null);
    }

    private int run(LoadOptions options, Mode mode) {
        PrintWriter err = spec.commandLine().getErr();
        Workload workload;
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            if (options.workloadFile != null) {
                settings.putAll(Workload.readFile(options.workloadFile));
            }
            settings.putAll(options.overrides());
            workload = Workload.from(settings);
            if (mode != null) {
                workload = workload.withMode(mode);
            }
        } catch (WorkloadException e) {
            err.println("perf: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        PrintStream out = System.out;
        try {
            PerfResult result = new LoadRun(workload, options.quiet ? null : out).execute();
            out.print(SummaryText.of(result));
            out.flush();
            if (options.jsonFile != null) {
                JsonReport.write(result, options.jsonFile);
            }
            if (options.htmlFile != null) {
                HtmlReport.write(result, options.htmlFile);
            }
            return result.ok() ? EXIT_OK : EXIT_FAILED;
        } catch (WorkloadException | io.tidelog.client.producer.ConfigException
                 | io.tidelog.client.consumer.ConfigException e) {
            err.println("perf: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("perf: cannot write the report: " + e.getMessage());
            err.flush();
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("perf: interrupted");
            err.flush();
            return EXIT_FAILED;
        } catch (Exception e) {
            err.println("perf: the run failed: " + e);
            err.flush();
            return EXIT_FAILED;
        }
    }
}

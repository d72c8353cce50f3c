package io.tidelog.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tidelog broker [server.properties] [--override key=value]...}: validates the
 * configuration, starts a broker and serves until SIGTERM or SIGINT, then stops gracefully and
 * exits 0. A bad configuration prints one line naming the key and exits 2 before anything starts.
 */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        versionProvider = TidelogVersion.class,
        description = {
                "Start a broker. With no configuration: a single-node broker on 127.0.0.1:9092 with its data in ./data.",
                "Keys are Kafka's (listeners, log.dirs, num.partitions, log.retention.ms, ...); see docs/operations.md."})
final class BrokerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCommand.class);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "server.properties",
            description = "Properties file with broker configuration.")
    private Path propertiesFile;

    @Option(names = "--override", paramLabel = "key=value",
            description = "Sets one configuration key; wins over the file. Repeatable.")
    private List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        BrokerConfig config;
        try {
            config = BrokerConfig.load(propertiesFile, BrokerConfig.parseOverrides(overrides));
        } catch (ConfigException e) {
            return fail(err, Tidelog.EXIT_USAGE, e.getMessage());
        }
        LOG.info("Starting Tidelog {} broker {} (settings: {})", TidelogVersion.version(), config.nodeId(),
                config.explicitSettings().isEmpty() ? "all defaults" : config.explicitSettings());
        LOG.debug("{}", config);

        BrokerServer server;
        try {
            server = BrokerServer.start(config, Time.SYSTEM);
        } catch (ConfigException e) {
            return fail(err, Tidelog.EXIT_USAGE, e.getMessage());
        } catch (IOException e) {
            LOG.debug("Broker failed to start", e);
            return fail(err, Tidelog.EXIT_FAILURE, "failed to start: " + describe(e));
        } catch (RuntimeException e) {
            LOG.error("Broker failed to start", e);
            return fail(err, Tidelog.EXIT_FAILURE, "failed to start: " + describe(e));
        }
        ShutdownSignals.install(server::shutdown);
        server.awaitTermination();
        LOG.info("Tidelog broker {} stopped", config.nodeId());
        return 0;
    }

    private static int fail(PrintWriter err, int exitCode, String message) {
        err.println("tidelog broker: " + message);
        err.flush();
        return exitCode;
    }

    /** The exception's message, or its type when it has none, including the cause's message when useful. */
    private static String describe(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message.replace('\n', ' ');
    }
}

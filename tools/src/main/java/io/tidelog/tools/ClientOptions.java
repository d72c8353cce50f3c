package io.tidelog.tools;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.tidelog.client.admin.TidelogAdmin;
import picocli.CommandLine.Option;

/**
 * Options every command that talks to a broker shares: where the broker is, how long to wait for
 * it, and extra client settings (Kafka's key names) from a file or the command line.
 */
final class ClientOptions {

    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "host:port", defaultValue = DEFAULT_BOOTSTRAP,
            description = "Broker(s) to connect to, comma-separated (default: ${DEFAULT-VALUE}).")
    String bootstrapServer;

    @Option(names = "--timeout", paramLabel = "duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to wait for the broker before giving up, e.g. 500ms, 10s, 2m (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--command-config", paramLabel = "file",
            description = "Properties file with client settings (Kafka's keys).")
    Path commandConfig;

    @Option(names = "--property", paramLabel = "key=value",
            description = "One client setting (Kafka's key); wins over --command-config. Repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** Settings from --command-config, then --property (later wins). */
    Map<String, String> clientProperties() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (commandConfig != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(commandConfig)) {
                file.load(reader);
            } catch (NoSuchFileException e) {
                throw new CliException("command config " + commandConfig + " does not exist");
            } catch (IOException e) {
                throw new CliException("cannot read command config " + commandConfig + ": " + e.getMessage());
            }
            file.stringPropertyNames().forEach(key -> settings.put(key, file.getProperty(key)));
        }
        settings.putAll(properties);
        return settings;
    }

    long timeoutMs() {
        return timeout.toMillis();
    }

    /** An admin client for the broker, every call bounded by --timeout. */
    TidelogAdmin admin() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServer);
        settings.put("client.id", "tidelog-cli");
        settings.put("default.api.timeout.ms", Long.toString(timeoutMs()));
        settings.put("request.timeout.ms", Long.toString(timeoutMs()));
        settings.putAll(clientProperties());
        try {
            return new TidelogAdmin(settings);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
    }
}

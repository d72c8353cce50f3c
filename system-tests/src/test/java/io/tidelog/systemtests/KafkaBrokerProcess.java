package io.tidelog.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An Apache Kafka 4.3.1 broker in KRaft combined mode (broker and controller in one node), running
 * in its own JVM started from this test classpath (the {@code kafka_2.13} Maven artifacts; no Kafka
 * distribution is needed, so tests using it never skip).
 *
 * <p>It binds 127.0.0.1 on free ports: a {@code PLAINTEXT} listener advertised as itself, the
 * controller listener, and optionally a {@code PROXIED} listener advertised at another port (a test
 * proxy's), so clients bootstrapping through the proxy are told to keep using it while other
 * clients use the direct listener. The settings are a single-node test broker's: internal topics
 * with replication factor 1, no initial rebalance delay, no topic auto-creation (as the Tidelog
 * brokers of these tests).
 *
 * <p>Data lives in a fresh temp directory, deleted by {@link #close()}. Kafka logs through the
 * classpath's SLF4J binding (logback) to {@code target/broker-logs/<name>.log}, configured by a
 * generated logback file, so the test output stays quiet. The broker is ready when it logged
 * "Kafka Server started", which KRaft prints after the broker is unfenced and its listeners accept
 * requests.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final String READY_LINE = "Kafka Server started";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final String name;
    private final Path workDir;
    private final Path logFile;
    private final Map<String, String> overrides;
    private final OptionalInt proxiedAdvertisedPort;

    private Process process;
    private int port;
    private int proxiedPort = -1;

    private KafkaBrokerProcess(String name, Map<String, String> overrides, OptionalInt proxiedAdvertisedPort) {
        this.name = name;
        this.overrides = Map.copyOf(overrides);
        this.proxiedAdvertisedPort = proxiedAdvertisedPort;
        try {
            this.workDir = Files.createTempDirectory("kafka-" + name + "-");
            Path logs = BrokerProcess.moduleDir().resolve("target").resolve("broker-logs");
            Files.createDirectories(logs);
            this.logFile = logs.resolve(name + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker with extra {@code server.properties} settings and returns once it serves. */
    public static KafkaBrokerProcess start(String name, Map<String, String> overrides) {
        return start(name, overrides, OptionalInt.empty());
    }

    /**
     * As {@link #start(String, Map)}, with a second listener that Kafka advertises at
     * {@code proxiedAdvertisedPort} on 127.0.0.1: a proxy listening there forwards to
     * {@link #proxiedListenerPort()}.
     */
    public static KafkaBrokerProcess start(String name, Map<String, String> overrides, OptionalInt proxiedAdvertisedPort) {
        KafkaBrokerProcess broker = new KafkaBrokerProcess(name, overrides, proxiedAdvertisedPort);
        try {
            broker.launchWithRetries();
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The direct listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The port the {@code PROXIED} listener is bound to (where a proxy must forward to). */
    public int proxiedListenerPort() {
        if (proxiedPort < 0) {
            throw new IllegalStateException("broker " + name + " was started without a proxied listener");
        }
        return proxiedPort;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM (Kafka's controlled shutdown), then SIGKILL if it takes too long; deletes the data. */
    @Override
    public void close() {
        if (process != null) {
            stopProcess(process);
        }
        deleteRecursively(workDir);
    }

    /** The tail of the broker's log, for assertion messages. */
    public String diagnostics() {
        return "--- " + logFile + " (tail) ---\n" + tail(logFile, 60);
    }

    private void launchWithRetries() {
        for (int attempt = 1; ; attempt++) {
            try {
                launch(attempt);
                return;
            } catch (IllegalStateException e) {
                // A free port found before the start can be taken by someone else before Kafka binds it.
                boolean portRace = tail(logFile, 200).contains("Address already in use");
                if (!portRace || attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void launch(int attempt) {
        int[] ports = freePorts(3);
        port = ports[0];
        int controllerPort = ports[1];
        proxiedPort = proxiedAdvertisedPort.isPresent() ? ports[2] : -1;
        Path dataDir = workDir.resolve("data-" + attempt);
        Path properties = workDir.resolve("server-" + attempt + ".properties");
        Path logback = workDir.resolve("logback.xml");
        writeText(properties, serverProperties(controllerPort, dataDir));
        writeText(logback, logbackConfig());
        appendText(logFile, "=== start " + name + " attempt " + attempt + " (data in " + dataDir + ")\n");

        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + logback));
        command.add("-cp");
        command.add(testClasspath());
        command.add(KafkaBrokerMain.class.getName());
        command.add(properties.toString());
        command.add(Uuid.randomUuid().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        long logStart = logFile.toFile().length();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker " + name, e);
        }
        awaitReady(process, logStart);
    }

    private String serverProperties(int controllerPort, Path dataDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        String listeners = "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
        String advertised = "PLAINTEXT://127.0.0.1:" + port;
        if (proxiedAdvertisedPort.isPresent()) {
            listeners += ",PROXIED://127.0.0.1:" + proxiedPort;
            advertised += ",PROXIED://127.0.0.1:" + proxiedAdvertisedPort.getAsInt();
        }
        settings.put("listeners", listeners);
        settings.put("advertised.listeners", advertised);
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT");
        settings.put("log.dirs", dataDir.toString());
        settings.put("num.partitions", "1");
        settings.put("auto.create.topics.enable", "false");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        // Two cores shared with the tests and the Tidelog broker: few threads.
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "2");
        settings.put("background.threads", "2");
        settings.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        settings.putAll(overrides);
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    private String logbackConfig() {
        return """
                <configuration>
                  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <append>true</append>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{0} - %%msg%%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.kafka.common.config" level="WARN"/>
                  <logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(logFile);
    }

    /** Polls the broker's log (from {@code logStart}) for the ready line until the deadline; a process that died fails at once. */
    private void awaitReady(Process started, long logStart) {
        try {
            Awaitility.await("Kafka broker " + name + " to log '" + READY_LINE + "'")
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!started.isAlive()) {
                            throw new IllegalStateException("the Kafka broker process " + name + " exited with "
                                    + started.exitValue() + " before it was ready\n" + diagnostics());
                        }
                        return logSince(logStart).contains(READY_LINE);
                    });
        } catch (ConditionTimeoutException e) {
            stopProcess(started);
            throw new IllegalStateException("the Kafka broker " + name + " was not ready within " + START_TIMEOUT
                    + "\n" + diagnostics(), e);
        } catch (RuntimeException e) {
            // A process that died is reported as itself, whether or not Awaitility wrapped it.
            if (e.getCause() instanceof IllegalStateException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private String logSince(long position) throws IOException {
        byte[] all = Files.readAllBytes(logFile);
        int from = (int) Math.min(position, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    private static void stopProcess(Process running) {
        if (!running.isAlive()) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                running.destroyForcibly();
                running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
    }

    /**
     * The classpath of these tests: surefire keeps the real one in {@code surefire.test.class.path}
     * (its JVM's {@code java.class.path} may be a manifest-only jar).
     */
    static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // it was only held to reserve its number
                }
            }
        }
    }

    private static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void appendText(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log yet)\n";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            StringBuilder text = new StringBuilder();
            for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
                text.append(line).append('\n');
            }
            return text.toString();
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")\n";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory left behind is not a test failure
        }
    }

    @Override
    public String toString() {
        return "Apache Kafka broker " + name + " (" + bootstrapServers() + ", pid "
                + (process == null ? "-" : Long.toString(process.pid())) + ")";
    }
}

package io.tidelog.perf.clientbench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The broker the client benchmark measures against: {@code java -jar tidelog.jar broker} on
 * 127.0.0.1 and a free port, data in a temp directory (deleted on close), 1 GiB heap. Ready when
 * it logs "serving on"; stopped with SIGTERM by its PID.
 */
final class TidelogBrokerProcess implements AutoCloseable {

    private final Process process;
    private final Path dataDir;
    private final int port;

    private TidelogBrokerProcess(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    static TidelogBrokerProcess start(Path jar) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with `mvn -o -q -pl tools,perf -am package -DskipTests`");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("clientbench-");
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-jar", jar.toString(), "broker",
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override", "log.dirs=" + dataDir);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> serving = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.contains("serving on")) {
                        serving.complete(true);
                    }
                }
            } catch (IOException e) {
                serving.completeExceptionally(e);
            }
            serving.completeExceptionally(new IllegalStateException("the broker exited before serving"));
        }, "clientbench-broker-stdout");
        pump.setDaemon(true);
        pump.start();
        try {
            serving.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the Tidelog broker did not start: " + e, e);
        }
        return new TidelogBrokerProcess(process, dataDir, port);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.tidelog.tools;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;

/** One Tidelog broker in this JVM on 127.0.0.1 and a free port, its data in a test's temp dir. */
final class TestBroker implements AutoCloseable {

    private final BrokerServer server;
    private final Path dataDir;

    private TestBroker(BrokerServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    static TestBroker start(Path dataDir) throws IOException {
        return start(dataDir, Map.of());
    }

    static TestBroker start(Path dataDir, Map<String, String> overrides) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dataDir.toString());
        settings.put("log.segment.bytes", Integer.toString(1024 * 1024));
        settings.put("num.network.threads", "1");
        settings.put("num.io.threads", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("offsets.topic.num.partitions", "1");
        settings.putAll(overrides);
        return new TestBroker(BrokerServer.start(BrokerConfig.from(settings), Time.SYSTEM), dataDir);
    }

    String bootstrap() {
        return "127.0.0.1:" + server.boundAddress().getPort();
    }

    Path dataDir() {
        return dataDir;
    }

    /** A port nothing listens on (bound and released again). */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }
}

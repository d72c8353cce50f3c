package io.tidelog.broker.api;

import io.tidelog.broker.RawClient;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.replica.Partition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** An in-process broker on 127.0.0.1 and a free port, with its data in a test's temp dir. */
final class TestBroker implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> settings;
    private BrokerServer server;

    TestBroker(Path dataDir, Map<String, String> overrides) throws IOException {
        this.dataDir = dataDir;
        this.settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dataDir.toString());
        settings.put("log.segment.bytes", Integer.toString(1024 * 1024));
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "1");
        settings.putAll(overrides);
        start();
    }

    static TestBroker start(Path dataDir) throws IOException {
        return new TestBroker(dataDir, Map.of());
    }

    void start() throws IOException {
        server = BrokerServer.start(BrokerConfig.from(settings), Time.SYSTEM);
    }

    /** Clean shutdown and start again on the same data dir. */
    void restart() throws IOException {
        server.shutdown();
        start();
    }

    BrokerServer server() {
        return server;
    }

    RawClient connect() throws IOException {
        return new RawClient(server.boundAddress());
    }

    Partition partition(String topic, int index) {
        return server.replicaManager().partition(topic, index);
    }

    long logEndOffset(String topic, int index) {
        return partition(topic, index).logEndOffset();
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
        }
    }
}

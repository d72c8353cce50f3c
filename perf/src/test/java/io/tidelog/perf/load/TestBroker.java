package io.tidelog.perf.load;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One in-process Tidelog broker on 127.0.0.1 and a free port, data in a test's temp dir. */
final class TestBroker implements AutoCloseable {

    private final BrokerServer server;

    private TestBroker(BrokerServer server) {
        this.server = server;
    }

    static TestBroker start(Path dataDir) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dataDir.toString());
        settings.put("log.segment.bytes", Integer.toString(4 * 1024 * 1024));
        settings.put("num.network.threads", "1");
        settings.put("num.io.threads", "1");
        return new TestBroker(BrokerServer.start(BrokerConfig.from(settings), Time.SYSTEM));
    }

    String bootstrap() {
        return "127.0.0.1:" + server.boundAddress().getPort();
    }

    @Override
    public void close() {
        server.shutdown();
    }
}

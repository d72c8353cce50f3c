package io.tidelog.broker.metrics;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.RawClient;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** An in-process broker on 127.0.0.1 with its metrics endpoint on a free port, and an HTTP client for it. */
final class MetricsBroker implements AutoCloseable {

    private final BrokerServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    MetricsBroker(Path dataDir) throws IOException {
        this(dataDir, Map.of());
    }

    MetricsBroker(Path dataDir, Map<String, String> overrides) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dataDir.toString());
        settings.put("log.segment.bytes", Integer.toString(1024 * 1024));
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "1");
        settings.put("offsets.topic.num.partitions", "1");
        settings.put("metrics.port", "0");
        settings.putAll(overrides);
        server = BrokerServer.start(BrokerConfig.from(settings), Time.SYSTEM);
    }

    BrokerServer server() {
        return server;
    }

    String bootstrap() {
        return "127.0.0.1:" + server.boundAddress().getPort();
    }

    RawClient connect() throws IOException {
        return new RawClient(server.boundAddress());
    }

    InetSocketAddress metricsAddress() {
        return server.metricsAddress().orElseThrow();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + metricsAddress().getPort() + path);
    }

    HttpResponse<String> request(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** GET /metrics, which must answer 200. */
    Scrape scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = request("GET", "/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + response.statusCode() + ": " + response.body());
        }
        return new Scrape(response.body());
    }

    @Override
    public void close() {
        server.shutdown();
    }
}

package io.tidelog.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code metrics.port}: off by default, validated at startup, bound on the listener's host, released at shutdown. */
class MetricsPortTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"abc", "9404.5", "-2", "65536", ""})
    void givenABadMetricsPort_whenTheConfigurationIsRead_thenStartupIsRefusedNamingTheKey(String value) {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("metrics.port", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'metrics.port'")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("metrics.port");
    }

    @Test
    void givenNoMetricsPort_whenTheBrokerStarts_thenThereIsNoMetricsEndpointAndNothingIsRecorded() throws IOException {
        try (BrokerServer broker = BrokerServer.start(BrokerConfig.from(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:0", "log.dirs", dir.toString(), "num.network.threads", "1")),
                Time.SYSTEM)) {
            assertThat(broker.metricsAddress()).isEmpty();
            assertThat(broker.metrics()).as("metrics recorded with the endpoint off").isEmpty();
        }
    }

    @Test
    void givenAMetricsPortInUse_whenTheBrokerStarts_thenStartupFailsNamingTheKeyAndLeavesNothingBehind()
            throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> settings = Map.of("listeners", "PLAINTEXT://127.0.0.1:0", "log.dirs", dir.toString(),
                    "num.network.threads", "1", "metrics.port", Integer.toString(taken.getLocalPort()));

            assertThatThrownBy(() -> BrokerServer.start(BrokerConfig.from(settings), Time.SYSTEM))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("metrics.port")
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
        // the failed start released the log dir lock: a broker starts on the same data
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            assertThat(broker.metricsAddress().getPort()).isPositive();
        }
    }

    @Test
    void givenARunningEndpointOnTheListenersHost_whenTheBrokerShutsDown_thenTheMetricsPortIsReleased()
            throws Exception {
        int port;
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            assertThat(broker.metricsAddress().getAddress().isLoopbackAddress()).isTrue();
            port = broker.metricsAddress().getPort();
            assertThat(broker.scrape().types()).containsKey("tidelog_partitions");
        }

        try (ServerSocket rebound = new ServerSocket()) {
            rebound.setReuseAddress(true);
            rebound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(rebound.getLocalPort()).isEqualTo(port);
        }
    }
}

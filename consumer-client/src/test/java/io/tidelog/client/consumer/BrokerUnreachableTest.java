package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.client.common.TopicPartition;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** No broker at the configured address: calls fail in time, with a message that says what to check. */
class BrokerUnreachableTest {

    /** A port nobody listens on: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static TidelogConsumer<String, String> consumerAt(int port, Map<String, Object> extra) {
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + port);
        settings.put(ConsumerConfig.RECONNECT_BACKOFF_MS, 20);
        settings.putAll(extra);
        return new TidelogConsumer<>(settings, Deserializers.string(), Deserializers.string());
    }

    @Test
    void givenNoBrokerWhenAskingForPartitionsThenABrokerUnreachableTimeoutNamesTheAddress() throws Exception {
        int port = closedPort();
        try (TidelogConsumer<String, String> consumer = consumerAt(port, Map.of())) {
            assertThatThrownBy(() -> consumer.partitionsFor("orders", Duration.ofMillis(800)))
                    .isInstanceOf(BrokerUnreachableException.class)
                    .isInstanceOf(ConsumerTimeoutException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("check");
        }
    }

    @Test
    void givenNoBrokerWhenReadingCommittedOffsetsThenATimeoutExceptionComesAfterTheTimeout() throws Exception {
        try (TidelogConsumer<String, String> consumer = consumerAt(closedPort(), Map.of(ConsumerConfig.GROUP_ID, "g"))) {
            assertThatThrownBy(() -> consumer.committed(Set.of(new TopicPartition("t", 0)), Duration.ofMillis(800)))
                    .isInstanceOf(ConsumerTimeoutException.class).hasMessageContaining("bootstrap.servers");
        }
    }

    @Test
    void givenNoBrokerWhenPollingLongerThanDefaultApiTimeoutThenPollThrowsBrokerUnreachable() throws Exception {
        try (TidelogConsumer<String, String> consumer = consumerAt(closedPort(),
                Map.of(ConsumerConfig.DEFAULT_API_TIMEOUT_MS, 500))) {
            consumer.assign(List.of(new TopicPartition("t", 0)));
            BrokerUnreachableException error = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (error == null && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (BrokerUnreachableException e) {
                    error = e;
                }
            }
            assertThat(error).isNotNull();
            assertThat(error.getMessage()).contains("default.api.timeout.ms").contains("bootstrap.servers");
        }
    }

    @Test
    void givenNoBrokerWhenClosingThenCloseReturnsWithinItsTimeout() throws Exception {
        TidelogConsumer<String, String> consumer = consumerAt(closedPort(), Map.of(ConsumerConfig.GROUP_ID, "g",
                ConsumerConfig.ENABLE_AUTO_COMMIT, true));
        consumer.assign(List.of(new TopicPartition("t", 0)));
        consumer.poll(Duration.ofMillis(100));
        consumer.close(Duration.ofMillis(500));
        assertThatThrownBy(() -> consumer.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}

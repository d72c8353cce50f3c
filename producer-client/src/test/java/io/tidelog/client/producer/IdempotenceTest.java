package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idempotent producer's promise: connections cut mid-stream cause retries but no duplicates,
 * no gaps and no reordering. All traffic goes through a proxy the broker advertises.
 */
class IdempotenceTest {

    @TempDir
    Path dir;

    @Test
    void givenConnectionsCutWhileRequestsAreInFlight_whenEveryRecordIsAcknowledged_thenTheLogHoldsEachOnceInSendOrder()
            throws Exception {
        try (CuttingProxy proxy = new CuttingProxy();
             TestCluster cluster = TestCluster.start(dir,
                     Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port()))) {
            proxy.target(new InetSocketAddress("127.0.0.1", Integer.parseInt(cluster.bootstrap().split(":")[1])));
            cluster.createTopic("idem", 1, Map.of());
            int count = 3000;
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            try (Producer<String, String> producer = new TidelogProducer<>(Map.of(
                    "bootstrap.servers", "127.0.0.1:" + proxy.port(), "batch.size", 512, "linger.ms", 0,
                    "retry.backoff.ms", 10, "reconnect.backoff.ms", 10), Serializers.string(), Serializers.string())) {
                for (int i = 0; i < count; i++) {
                    futures.add(producer.send(new ProducerRecord<>("idem", "value-" + i)));
                    if (i % 300 == 299) {
                        proxy.cutAll();
                    }
                }
                producer.flush();
            }
            for (int i = 0; i < count; i++) {
                assertThat(futures.get(i).get(30, TimeUnit.SECONDS).offset()).as("offset of record %d", i).isEqualTo(i);
            }
            assertThat(proxy.acceptedConnections()).as("the proxy cut connections, so the producer reconnected")
                    .isGreaterThan(1);
            assertThat(cluster.endOffset("idem", 0)).as("log end offset: no duplicates appended").isEqualTo(count);
            List<ConsumerRecord<byte[], byte[]>> read = cluster.readAll("idem", 0, count);
            List<String> values = read.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add("value-" + i);
            }
            assertThat(values).containsExactlyElementsOf(expected);
        }
    }
}

package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrency, callbacks, flush, close and delivery timeouts against an in-process broker. */
class ProducerBehaviourTest {

    @TempDir
    Path dir;
    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(dir, Map.of());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void givenFourThreadsSendingToOnePartition_whenAllComplete_thenEachThreadsRecordsAppearInItsSendOrder()
            throws Exception {
        cluster.createTopic("threads", 1, Map.of());
        int perThread = 500;
        List<CompletableFuture<RecordMetadata>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Producer<String, String> producer = new TidelogProducer<>(Map.of("bootstrap.servers", cluster.bootstrap(),
                "batch.size", 2048), Serializers.string(), Serializers.string())) {
            List<Thread> threads = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        futures.add(producer.send(new ProducerRecord<>("threads", 0, "t" + thread, thread + ":" + i)));
                    }
                }));
            }
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            producer.flush();
            for (CompletableFuture<RecordMetadata> future : futures) {
                assertThat(future).as("flush returns only after every send completed").isDone();
            }
        }
        List<ConsumerRecord<byte[], byte[]>> read = cluster.readAll("threads", 0, 4 * perThread);
        assertThat(read).hasSize(4 * perThread);
        Map<String, Integer> lastSeen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : read) {
            String[] parts = new String(record.value(), StandardCharsets.UTF_8).split(":");
            int index = Integer.parseInt(parts[1]);
            assertThat(index).as("thread %s's record after %s", parts[0], lastSeen.get(parts[0]))
                    .isEqualTo(lastSeen.getOrDefault(parts[0], -1) + 1);
            lastSeen.put(parts[0], index);
        }
    }

    @Test
    void givenACallback_whenTheRecordIsAcknowledged_thenTheCallbackSeesTheSameMetadataAsTheFuture() throws Exception {
        cluster.createTopic("callback", 2, Map.of());
        AtomicReference<RecordMetadata> seen = new AtomicReference<>();
        ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
        try (Producer<String, String> producer = new TidelogProducer<>(Map.of("bootstrap.servers", cluster.bootstrap()),
                Serializers.string(), Serializers.string())) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("callback", 1, "k", "v"), (m, e) -> {
                seen.set(m);
                if (e != null) {
                    errors.add(e);
                }
            }).get(30, TimeUnit.SECONDS);
            assertThat(seen.get()).isEqualTo(metadata);
            assertThat(metadata.partition()).isEqualTo(1);
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void givenAPartitionThatDoesNotExist_whenSentTo_thenTheFutureFailsNamingThePartitionCount() throws Exception {
        cluster.createTopic("two", 2, Map.of());
        try (Producer<String, String> producer = new TidelogProducer<>(Map.of("bootstrap.servers", cluster.bootstrap()),
                Serializers.string(), Serializers.string())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("two", 5, "k", "v")).get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ProducerException.class).hasMessageContaining("has 2 partitions");
        }
    }

    @Test
    void givenTheBrokerStops_whenRecordsAreSent_thenTheyFailWithATimeoutAfterDeliveryTimeout() throws Exception {
        cluster.createTopic("gone", 1, Map.of());
        try (Producer<String, String> producer = new TidelogProducer<>(Map.of("bootstrap.servers", cluster.bootstrap(),
                "delivery.timeout.ms", 4000, "request.timeout.ms", 2000, "linger.ms", 0),
                Serializers.string(), Serializers.string())) {
            assertThat(producer.send(new ProducerRecord<>("gone", "first")).get(30, TimeUnit.SECONDS).offset()).isZero();
            cluster.close();
            CompletableFuture<RecordMetadata> late = producer.send(new ProducerRecord<>("gone", "second"));
            assertThatThrownBy(() -> late.get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ProducerTimeoutException.class)
                    .hasMessageContaining("delivery.timeout.ms=4000");
        }
    }

    @Test
    void givenBootstrapServersWhoseFirstAddressIsDead_whenSending_thenTheProducerBootstrapsFromTheNextOne()
            throws Exception {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        cluster.createTopic("second-address", 1, Map.of());
        try (Producer<String, String> producer = new TidelogProducer<>(Map.of(
                "bootstrap.servers", "127.0.0.1:" + deadPort + "," + cluster.bootstrap(), "reconnect.backoff.ms", 10),
                Serializers.string(), Serializers.string())) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("second-address", "v")).get(30, TimeUnit.SECONDS);
            assertThat(metadata.offset()).isZero();
        }
    }

    @Test
    void givenNullKeysThatFitOneBatch_whenSent_thenTheyAllStickToOnePartition() throws Exception {
        cluster.createTopic("sticky", 4, Map.of());
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = new TidelogProducer<>(Map.of("bootstrap.servers", cluster.bootstrap(),
                "linger.ms", 60_000), Serializers.string(), Serializers.string())) {
            for (int i = 0; i < 20; i++) {
                futures.add(producer.send(new ProducerRecord<>("sticky", "v" + i)));
            }
            producer.flush();
        }
        java.util.Set<Integer> partitions = new java.util.HashSet<>();
        for (CompletableFuture<RecordMetadata> future : futures) {
            partitions.add(future.get(30, TimeUnit.SECONDS).partition());
        }
        assertThat(partitions).hasSize(1);
    }

    @Test
    void givenAClosedProducer_whenSending_thenTheFutureFailsSayingItIsClosed() {
        Producer<String, String> producer = new TidelogProducer<>(Map.of("bootstrap.servers", cluster.bootstrap()),
                Serializers.string(), Serializers.string());
        producer.close(Duration.ofSeconds(5));
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("any", "v")).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(ProducerException.class).hasMessageContaining("closed");
    }
}

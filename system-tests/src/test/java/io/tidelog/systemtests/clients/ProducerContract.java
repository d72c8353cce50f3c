package io.tidelog.systemtests.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tidelog.client.producer.Producer;
import io.tidelog.client.producer.ProducerRecord;
import io.tidelog.client.producer.ProducerTimeoutException;
import io.tidelog.client.producer.RecordMetadata;
import io.tidelog.client.producer.RecordTooLargeException;
import io.tidelog.client.producer.Serializers;
import io.tidelog.client.producer.TidelogProducer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a user of our producer observes, against any Kafka-protocol broker: acknowledgements per
 * acks level, typed errors for records that are too large and for topics that do not exist,
 * delivery timeouts when the broker is unreachable, and the idempotent producer's
 * exactly-once-in-order log across connection cuts. Kafka's own consumer is the observer that
 * reads back what the broker stored. Subclasses pick the broker with {@link Against}.
 */
abstract class ProducerContract {

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private BrokerTarget broker;

    @BeforeEach
    void connect(BrokerTarget target) {
        this.broker = target;
    }

    @ParameterizedTest(name = "acks={0}")
    @ValueSource(strings = {"0", "1", "all"})
    void givenAnAcksSetting_whenRecordsAreSentToOnePartition_thenAConsumerReadsEachOnceInSendOrder(String acks)
            throws Exception {
        Endpoint endpoint = broker.direct();
        String topic = newTopic("acks-" + acks);
        endpoint.createTopic(topic, 1);
        int count = 300;
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = producer(endpoint, Map.of("acks", acks))) {
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "value-" + i)));
            }
            producer.flush();
        }
        for (int i = 0; i < count; i++) {
            RecordMetadata metadata = futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            long expectedOffset = acks.equals("0") ? RecordMetadata.UNKNOWN_OFFSET : i;
            assertThat(metadata.offset()).as("%s, acks=%s: offset of record %d", broker, acks, i).isEqualTo(expectedOffset);
        }
        assertThat(values(KafkaSide.readAll(endpoint.bootstrapServers(), topic, 1, count)))
                .as("%s, acks=%s: what a consumer reads", broker, acks)
                .containsExactlyElementsOf(expectedValues("value-", count));
    }

    @Test
    void givenARecordLargerThanMaxRequestSize_whenSent_thenItFailsWithRecordTooLargeAndTheNextRecordStillArrives()
            throws Exception {
        Endpoint endpoint = broker.direct();
        String topic = newTopic("too-large-client");
        endpoint.createTopic(topic, 1);
        try (Producer<String, String> producer = producer(endpoint, Map.of("max.request.size", 1024))) {
            CompletableFuture<RecordMetadata> tooLarge = producer.send(new ProducerRecord<>(topic, "x".repeat(4096)));
            CompletableFuture<RecordMetadata> small = producer.send(new ProducerRecord<>(topic, "small"));
            assertThat(failureOf(tooLarge)).as("%s: the oversized record's failure", broker)
                    .isInstanceOf(RecordTooLargeException.class).hasMessageContaining("max.request.size");
            assertThat(small.get(WAIT.toSeconds(), TimeUnit.SECONDS).offset()).isZero();
        }
        assertThat(values(KafkaSide.readAll(endpoint.bootstrapServers(), topic, 1, 1))).containsExactly("small");
    }

    @Test
    void givenATopicWithASmallMaxMessageBytes_whenARecordAboveItIsSent_thenTheBrokersRefusalFailsItAsRecordTooLarge()
            throws Exception {
        Endpoint endpoint = broker.direct();
        String topic = newTopic("too-large-broker");
        endpoint.createTopic(topic, 1, Map.of("max.message.bytes", "2048"));
        try (Producer<String, String> producer = producer(endpoint, Map.of("linger.ms", 0))) {
            RecordMetadata before = producer.send(new ProducerRecord<>(topic, "before")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Throwable refused = failureOf(producer.send(new ProducerRecord<>(topic, "y".repeat(8192))));
            RecordMetadata after = producer.send(new ProducerRecord<>(topic, "after")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(refused).as("%s: failure of a record the broker refuses as too large", broker)
                    .isInstanceOf(RecordTooLargeException.class).hasMessageContaining("broker refused");
            assertThat(List.of(before.offset(), after.offset())).containsExactly(0L, 1L);
        }
        assertThat(values(KafkaSide.readAll(endpoint.bootstrapServers(), topic, 1, 2))).containsExactly("before", "after");
    }

    @Test
    void givenRecordsThatFitTheTopicAloneButNotTogether_whenTheBrokerRefusesTheirBatch_thenTheyAreResentSplitAndAllArriveInOrder()
            throws Exception {
        Endpoint endpoint = broker.direct();
        String topic = newTopic("split");
        endpoint.createTopic(topic, 1, Map.of("max.message.bytes", "2048"));
        int count = 40;
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = producer(endpoint, Map.of("linger.ms", 5000, "batch.size", 65536))) {
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, String.format("split-%03d-", i) + "z".repeat(300))));
            }
            producer.flush();
        }
        for (int i = 0; i < count; i++) {
            assertThat(futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS).offset())
                    .as("%s: offset of record %d", broker, i).isEqualTo(i);
        }
        List<String> read = values(KafkaSide.readAll(endpoint.bootstrapServers(), topic, 1, count));
        assertThat(read).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(read.get(i)).startsWith(String.format("split-%03d-", i));
        }
    }

    @Test
    void givenATopicThatDoesNotExist_whenSending_thenTheSendFailsAfterMaxBlockSayingTheBrokerDoesNotKnowIt() {
        Endpoint endpoint = broker.direct();
        String topic = newTopic("missing");
        // max.block.ms leaves a loaded machine time to answer Metadata: the message needs the broker's answer.
        try (Producer<String, String> producer = producer(endpoint, Map.of("max.block.ms", 5000))) {
            Throwable failure = failureOf(producer.send(new ProducerRecord<>(topic, "lost")));
            assertThat(failure).as("%s: sending to a topic that does not exist (auto-creation off)", broker)
                    .isInstanceOf(ProducerTimeoutException.class).hasMessageContaining("does not exist");
        }
        assertThat(KafkaSide.topicExists(endpoint.bootstrapServers(), topic))
                .as("%s: the topic was not created by the attempt", broker).isFalse();
    }

    @Test
    void givenTheBrokerBecomesUnreachable_whenARecordIsSent_thenItFailsAfterDeliveryTimeoutAndLaterSendsSucceedOnceItIsBack()
            throws Exception {
        Endpoint endpoint = broker.proxied();
        String topic = newTopic("unreachable");
        endpoint.createTopic(topic, 1);
        Map<String, Object> settings = Map.of("linger.ms", 0, "request.timeout.ms", 1000, "delivery.timeout.ms", 3000,
                "retry.backoff.ms", 50, "reconnect.backoff.ms", 50);
        try (Producer<String, String> producer = producer(endpoint, settings)) {
            producer.send(new ProducerRecord<>(topic, "first")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            endpoint.proxy().goDark();
            Throwable failure;
            try {
                failure = failureOf(producer.send(new ProducerRecord<>(topic, "while-unreachable")));
            } finally {
                endpoint.proxy().restore();
            }
            assertThat(failure).as("%s: a record sent while no connection can be made", broker)
                    .isInstanceOf(ProducerTimeoutException.class).hasMessageContaining("delivery.timeout.ms");
            producer.send(new ProducerRecord<>(topic, "after")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(values(KafkaSide.readAll(endpoint.bootstrapServers(), topic, 1, 2))).containsExactly("first", "after");
    }

    @Test
    void givenConnectionsCutWhileRequestsAreInFlight_whenEveryRecordIsAcknowledged_thenEachPartitionHoldsEachRecordOnceInSendOrder()
            throws Exception {
        Endpoint endpoint = broker.proxied();
        String topic = newTopic("idempotent-cuts");
        int partitions = 2;
        int count = 3000;
        endpoint.createTopic(topic, partitions);
        int connectionsBefore = endpoint.proxy().acceptedConnections();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        Map<String, Object> settings = Map.of("batch.size", 512, "linger.ms", 0, "retry.backoff.ms", 10,
                "reconnect.backoff.ms", 10);
        try (Producer<String, String> producer = producer(endpoint, settings)) {
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, "value-" + i)));
                if (i % 300 == 299) {
                    endpoint.proxy().cutAll();
                }
            }
            producer.flush();
        }
        long[] nextOffset = new long[partitions];
        for (int i = 0; i < count; i++) {
            RecordMetadata metadata = futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(metadata.offset()).as("%s: offset of record %d in partition %d", broker, i, i % partitions)
                    .isEqualTo(nextOffset[i % partitions]++);
        }
        assertThat(endpoint.proxy().acceptedConnections() - connectionsBefore)
                .as("%s: the cuts made the producer reconnect", broker).isGreaterThan(1);
        Map<TopicPartition, Long> endOffsets = KafkaSide.endOffsets(endpoint.bootstrapServers(), topic, partitions);
        for (int p = 0; p < partitions; p++) {
            assertThat(endOffsets.get(new TopicPartition(topic, p)))
                    .as("%s: log end offset of partition %d (a duplicate would add one)", broker, p).isEqualTo(count / partitions);
        }
        Map<Integer, List<String>> read = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : KafkaSide.readAll(endpoint.bootstrapServers(), topic, partitions, count)) {
            read.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(new String(record.value(), StandardCharsets.UTF_8));
        }
        for (int p = 0; p < partitions; p++) {
            List<String> expected = new ArrayList<>();
            for (int i = p; i < count; i += partitions) {
                expected.add("value-" + i);
            }
            assertThat(read.get(p)).as("%s: partition %d as read back", broker, p).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void givenATopicJustCreated_whenManySmallBatchesAreSentAtOnce_thenEachPartitionStoresThemOnceInSendOrder()
            throws Exception {
        Endpoint endpoint = broker.direct();
        String topic = newTopic("fresh");
        int partitions = 8;
        int count = 4000;
        endpoint.createTopic(topic, partitions);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = producer(endpoint, Map.of("batch.size", 256, "linger.ms", 0,
                "retry.backoff.ms", 5))) {
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, "value-" + i)));
            }
            producer.flush();
        }
        long[] lastOffset = new long[partitions];
        java.util.Arrays.fill(lastOffset, -1);
        for (int i = 0; i < count; i++) {
            RecordMetadata metadata = futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(metadata.offset()).as("%s: offset of record %d (partition %d) after the partition's previous record",
                    broker, i, i % partitions).isEqualTo(lastOffset[i % partitions] + 1);
            lastOffset[i % partitions] = metadata.offset();
        }
    }

    private static Producer<String, String> producer(Endpoint endpoint, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>();
        all.put("bootstrap.servers", endpoint.bootstrapServers());
        all.putAll(settings);
        return new TidelogProducer<>(all, Serializers.string(), Serializers.string());
    }

    static String newTopic(String what) {
        return "producer-" + what + "-" + TOPICS.incrementAndGet();
    }

    /** The exception a send's future failed with; fails the test if it succeeded or hung. */
    static Throwable failureOf(CompletableFuture<?> future) {
        Throwable thrown = catchThrowable(() -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown).as("the send was expected to fail").isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    static List<String> expectedValues(String prefix, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(prefix + i);
        }
        return values;
    }
}

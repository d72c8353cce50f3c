package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each segment backend runs from the jar as shipped: Chronicle Bytes needs JVM opens/exports, which
 * the jar's manifest must supply, since {@code java -jar tidelog.jar} passes no such flags.
 */
class SegmentBackendTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @TempDir
    Path dataDir;

    private BrokerProcess broker;

    @AfterEach
    void killBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "log.segment.backend={0}")
    @ValueSource(strings = {"nio", "chronicle"})
    void recordsWrittenThroughTheBackendAreReadBackAfterARestartWithNothingOnStderr(String backend) throws Exception {
        broker = BrokerProcess.start("SegmentBackendTest-" + backend, dataDir, "log.segment.backend=" + backend,
                "log.segment.bytes=32768");
        Clients.createTopic(broker, "backend", 1);
        List<ProduceConsumeTest.Sent> sent;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            sent = ProduceConsumeTest.sendMixedRecords(producer, "backend", 300, new Random(SEED));
        }

        broker.stop();
        broker.restart();

        TopicPartition tp = new TopicPartition("backend", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            ProduceConsumeTest.assertPartitionMatches(0, sent, Clients.pollAtLeast(consumer, sent.size()),
                    "none, backend " + backend);
        }
        broker.stop();
        assertThat(broker.stderr()).as("stderr of a broker on the %s backend", backend).isEmpty();
    }
}

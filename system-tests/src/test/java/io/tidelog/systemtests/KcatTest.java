package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kcat (librdkafka) against a Tidelog broker process: metadata, produce, consume. Skipped only on a
 * developer machine without kcat; under CI (the {@code CI} variable set) kcat must be installed.
 */
class KcatTest {

    @TempDir
    static Path dataDir;

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        ExternalClients.require("kcat", "apt-get install kcat", "kcat", "-V");
        broker = BrokerProcess.start("KcatTest", dataDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            try {
                broker.stop();
            } finally {
                broker.close();
            }
        }
    }

    @Test
    void metadataListsThisBrokerAndTheTopicsPartitions() throws Exception {
        Clients.createTopic(broker, "kcat-metadata", 2);

        String metadata = kcat(null, "-L", "-t", "kcat-metadata").stdout();

        assertThat(metadata).contains("1 brokers:").contains("broker 1 at 127.0.0.1:" + broker.port());
        assertThat(metadata).contains("topic \"kcat-metadata\" with 2 partitions:");
        assertThat(metadata).contains("partition 0, leader 1, replicas: 1, isrs: 1")
                .contains("partition 1, leader 1, replicas: 1, isrs: 1");
    }

    @Test
    void linesProducedByKcatAreConsumedByKcatAndByTheJavaConsumerAtTheSameOffsets() throws Exception {
        Clients.createTopic(broker, "kcat-roundtrip", 1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add("k" + (i % 5) + ":value number " + i);
        }

        kcat(String.join("\n", lines) + "\n", "-P", "-t", "kcat-roundtrip", "-p", "0", "-K", ":");
        String consumed = kcat(null, "-C", "-t", "kcat-roundtrip", "-p", "0", "-o", "beginning", "-e",
                "-f", "%o %k %s\\n").stdout();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i + " k" + (i % 5) + " value number " + i);
        }
        assertThat(consumed.lines().toList()).containsExactlyElementsOf(expected);

        TopicPartition tp = new TopicPartition("kcat-roundtrip", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> javaRead = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : Clients.pollAtLeast(consumer, 50)) {
                javaRead.add(record.offset() + " " + new String(record.key(), StandardCharsets.UTF_8) + " "
                        + new String(record.value(), StandardCharsets.UTF_8));
            }
            assertThat(javaRead).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void recordsFromTheJavaProducerAreReadByKcatWithTheirHeaders() throws Exception {
        Clients.createTopic(broker, "kcat-from-java", 1);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker)) {
            for (int i = 0; i < 10; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("kcat-from-java", 0,
                        ("key" + i).getBytes(StandardCharsets.UTF_8), ("payload " + i).getBytes(StandardCharsets.UTF_8));
                record.headers().add("trace", ("t" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
        }

        String consumed = kcat(null, "-C", "-t", "kcat-from-java", "-o", "beginning", "-e",
                "-f", "%p %o %k %s %h\\n").stdout();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("0 " + i + " key" + i + " payload " + i + " trace=t" + i);
        }
        assertThat(consumed.lines().toList()).containsExactlyElementsOf(expected);
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs kcat against the broker with {@code stdin} (or none); it must exit 0 within a minute. */
    private static Result kcat(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dataDir.getParent(), "kcat", ".out");
        Path err = Files.createTempFile(dataDir.getParent(), "kcat", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("kcat " + String.join(" ", args) + " did not finish within 60 s\n" + Files.readString(err));
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        assertThat(result.exitCode()).as("kcat %s exit code; stderr:%n%s%n%s", String.join(" ", args), result.stderr(),
                broker.diagnostics()).isZero();
        return result;
    }
}

package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafkajs (Node.js) against a Tidelog broker process: admin, idempotent producer, consumer group
 * with commits. kafkajs consumers always join a group, so this also drives the group coordinator
 * with a third client implementation. Skipped only on a developer machine without Node.js; under
 * CI (the {@code CI} variable set) node and npm must be present (.ci/run installs them).
 *
 * <p>The script lives in {@code src/test/node}; kafkajs (pinned in its package.json, no
 * dependencies of its own) is installed into {@code target/kafkajs} on first use.
 */
class KafkajsTest {

    private static final int RECORDS = 300;
    private static final int PARTITIONS = 3;

    @TempDir
    static Path dataDir;

    private static BrokerProcess broker;
    private static Path scriptDir;

    @BeforeAll
    static void installKafkajsAndStartBroker() throws Exception {
        ExternalClients.require("Node.js", "apt-get install nodejs npm", "node", "--version");
        ExternalClients.require("npm", "apt-get install npm", "npm", "--version");
        scriptDir = installScript();
        broker = BrokerProcess.start("KafkajsTest", dataDir);
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
    void recordsProducedByKafkajsAreConsumedOnceByItsConsumerGroupAndTheCommitsMatchTheLogEnd() throws Exception {
        String topic = "kafkajs-roundtrip";

        List<String[]> lines = run("node", "roundtrip.js", broker.bootstrapServers(), topic, Integer.toString(RECORDS));

        Map<Integer, List<Long>> offsetsByPartition = new TreeMap<>();
        Map<String, String> valueAt = new HashMap<>();
        List<String> values = new ArrayList<>();
        Map<Integer, Long> committed = new TreeMap<>();
        for (String[] line : lines) {
            switch (line[0]) {
                case "SEEN" -> {
                    int partition = Integer.parseInt(line[1]);
                    long offset = Long.parseLong(line[2]);
                    offsetsByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(offset);
                    valueAt.put(partition + "@" + offset, line[3]);
                    values.add(line[3]);
                    assertThat(line[3]).as("header n travels with its value").isEqualTo("v" + line[4]);
                }
                case "COMMITTED" -> committed.put(Integer.parseInt(line[1]), Long.parseLong(line[2]));
                default -> { }
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            expected.add("v" + i);
        }
        assertThat(values).as("every record consumed exactly once").containsExactlyInAnyOrderElementsOf(expected);
        for (Map.Entry<Integer, List<Long>> partition : offsetsByPartition.entrySet()) {
            List<Long> dense = new ArrayList<>();
            for (long o = 0; o < partition.getValue().size(); o++) {
                dense.add(o);
            }
            assertThat(partition.getValue()).as("partition %d offsets, in consumption order", partition.getKey())
                    .isEqualTo(dense);
            assertThat(committed.get(partition.getKey())).as("committed offset of partition %d", partition.getKey())
                    .isEqualTo((long) partition.getValue().size());
        }
        assertThat(javaConsumerView(topic)).as("what Kafka's own consumer reads at the same offsets").isEqualTo(valueAt);
    }

    /** Every (partition@offset → value) of the topic, read with KafkaConsumer from the beginning. */
    private static Map<String, String> javaConsumerView(String topic) {
        Map<String, String> view = new HashMap<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (view.size() < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    view.put(record.partition() + "@" + record.offset(), new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return view;
    }

    /** Copies the script to target/kafkajs and installs kafkajs there once. */
    private static Path installScript() throws IOException, InterruptedException {
        Path source = BrokerProcess.moduleDir().resolve("src/test/node");
        Path target = BrokerProcess.moduleDir().resolve("target/kafkajs");
        Files.createDirectories(target);
        for (String file : List.of("package.json", "roundtrip.js")) {
            Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(target.resolve("node_modules/kafkajs"))) {
            runIn(target, "npm", "install", "--no-audit", "--no-fund", "--package-lock=false");
        }
        return target;
    }

    private static List<String[]> run(String... command) throws IOException, InterruptedException {
        return runIn(scriptDir, command).lines().map(line -> line.split(" ")).collect(Collectors.toList());
    }

    private static String runIn(Path dir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dataDir.getParent(), "kafkajs", ".out");
        Path err = Files.createTempFile(dataDir.getParent(), "kafkajs", ".err");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish within 120 s\n" + Files.readString(err));
        }
        String diagnostics = broker == null ? "" : broker.diagnostics();
        assertThat(process.exitValue()).as("%s exit code; stderr:%n%s%n%s", String.join(" ", command),
                Files.readString(err), diagnostics).isZero();
        return Files.readString(out);
    }
}

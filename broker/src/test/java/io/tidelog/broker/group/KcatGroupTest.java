package io.tidelog.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidelog.broker.BrokerServer;
import io.tidelog.broker.Time;
import io.tidelog.broker.config.BrokerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** librdkafka's balanced consumer ({@code kcat -G}) against an in-process broker; skipped without kcat. */
class KcatGroupTest {

    private static final String TOPIC = "kcat-events";
    private static final String GROUP = "kcat-readers";

    @TempDir
    Path dir;
    private BrokerServer server;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")), "kcat is not installed");
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dir.resolve("data").toString());
        settings.put("log.segment.bytes", Integer.toString(1024 * 1024));
        settings.put("group.initial.rebalance.delay.ms", "0");
        server = BrokerServer.start(BrokerConfig.from(settings), Time.SYSTEM);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    private String bootstrap() {
        return "127.0.0.1:" + server.boundAddress().getPort();
    }

    private void produce(int from, int to) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 3, null, "m" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Runs {@code kcat -G} until it has read {@code count} messages; returns them. (No {@code -o}:
     * in group mode kcat applies it to every assigned partition, overriding the committed offsets.)
     */
    private List<String> kcatConsume(int count) throws Exception {
        Path out = dir.resolve("kcat-" + System.nanoTime() + ".out");
        Process kcat = new ProcessBuilder("kcat", "-b", bootstrap(), "-G", GROUP, "-X", "auto.offset.reset=earliest", "-c",
                Integer.toString(count), "-q", "-f", "%s\\n", "-X", "auto.commit.interval.ms=100", TOPIC)
                .redirectErrorStream(false).redirectOutput(out.toFile())
                .redirectError(dir.resolve("kcat.err").toFile()).start();
        try {
            assertThat(kcat.waitFor(60, TimeUnit.SECONDS)).as("kcat -G finished; stderr: %s",
                    readIfExists(dir.resolve("kcat.err"))).isTrue();
        } finally {
            if (kcat.isAlive()) {
                kcat.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(kcat.exitValue()).as("kcat exit status; stderr: %s", readIfExists(dir.resolve("kcat.err")))
                .isZero();
        return new ArrayList<>(Arrays.asList(Files.readString(out, StandardCharsets.UTF_8).trim().split("\n")));
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void kcatConsumesAsAGroupMemberCommitsAndASecondRunResumesAfterTheCommits() throws Exception {
        produce(0, 9);
        assertThat(kcatConsume(9)).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8");
        produce(9, 12);
        assertThat(kcatConsume(3)).containsExactlyInAnyOrder("m9", "m10", "m11");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.values()).extracting(OffsetAndMetadata::offset).containsOnly(4L);
        }
    }
}

package io.tidelog.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.log.PartitionLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code __consumer_offsets} is compacted: a group that commits many times leaves about one record
 * per partition once the cleaner ran, and after a restart the group coordinator, replaying the
 * compacted log with its gaps, still hands out the latest committed offsets.
 */
class OffsetsTopicCompactionTest {

    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final int COMMITS = 200;

    @TempDir
    Path dir;

    @Test
    void givenManyCommitsOfOneGroup_whenTheOffsetsTopicIsCleanedAndTheBrokerRestarts_thenTheLatestOffsetsReload()
            throws Exception {
        Map<String, String> settings = Map.of("offsets.topic.num.partitions", "1", "offsets.topic.segment.bytes", "2048",
                "log.cleaner.backoff.ms", "50", "log.cleaner.min.cleanable.ratio", "0.01");
        try (TestBroker broker = new TestBroker(dir, settings)) {
            String bootstrap = "127.0.0.1:" + broker.server().boundAddress().getPort();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>();
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                for (int i = 1; i <= COMMITS; i++) {
                    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                    for (int p = 0; p < 3; p++) {
                        commit.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(i * 10L + p, "commit " + i));
                    }
                    consumer.commitSync(commit);
                    last = commit;
                }
            }
            PartitionLog offsetsLog = broker.partition(GroupCoordinator.OFFSETS_TOPIC, 0).log();
            long committedRecords = 3L * COMMITS;
            await().atMost(Duration.ofSeconds(60)).until(() -> recordsIn(offsetsLog) < committedRecords / 4);
            assertThat(offsetsLog.cleanerCheckpoint().firstDirtyOffset()).isPositive();

            broker.restart();

            try (KafkaConsumer<String, String> consumer = consumer(bootstrap(broker))) {
                Set<TopicPartition> partitions = last.keySet();
                assertThat(consumer.committed(partitions, Duration.ofSeconds(30))).isEqualTo(last);
            }
        }
    }

    private static String bootstrap(TestBroker broker) {
        return "127.0.0.1:" + broker.server().boundAddress().getPort();
    }

    private static long recordsIn(PartitionLog log) throws java.io.IOException {
        AtomicLong records = new AtomicLong();
        log.forEachBatch(log.logStartOffset(), batch -> records.addAndGet(batch.recordsCount()));
        return records.get();
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props);
    }
}

package io.tidelog.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.client.common.TopicPartition;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code --verify} against a real in-process broker: a clean run, and a loss planted behind the tool's back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyTest {

    private TestBroker broker;

    @BeforeAll
    void startBroker(@TempDir Path dir) throws Exception {
        broker = TestBroker.start(dir);
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private Workload workload(String mode, String topic, int partitions, int producers, int consumers, int records) {
        Map<String, String> s = new HashMap<>();
        s.put("mode", mode);
        s.put("bootstrap.servers", broker.bootstrap());
        s.put("topic", topic);
        s.put("partitions", Integer.toString(partitions));
        s.put("producers", Integer.toString(producers));
        s.put("consumers", Integer.toString(consumers));
        s.put("records", Integer.toString(records));
        s.put("duration", "60s");
        s.put("verify", "true");
        s.put("producer.linger.ms", "1");
        return Workload.from(s);
    }

    @Test
    void givenRecordsDeletedBehindTheToolsBack_whenVerified_thenExactlyThoseAreReportedLost() throws Exception {
        int deleted = 100;
        LoadRun.Hooks deleteTheFirstRecords = new LoadRun.Hooks() {
            @Override
            public void afterProduce(List<TopicPartition> partitions) throws Exception {
                deleteRecordsBefore("planted-loss", 0, deleted);
            }
        };

        PerfResult result = new LoadRun(workload("produce", "planted-loss", 1, 1, 1, 1000), null, NanoClock.SYSTEM,
                deleteTheFirstRecords).execute();

        DeliveryChecker.Result v = result.verify();
        assertThat(v.acknowledged()).isEqualTo(1000);
        assertThat(v.consumed()).isEqualTo(1000 - deleted);
        assertThat(v.lost()).isEqualTo(deleted);
        assertThat(v.duplicated()).isZero();
        assertThat(v.reordered()).isZero();
        assertThat(v.partitions()).singleElement().satisfies(p -> {
            assertThat(p.partition()).isZero();
            assertThat(p.lost()).isEqualTo(deleted);
        });
        assertThat(v.examples()).first().isEqualTo("lost: producer 0 sequence 0 acknowledged at partition 0 offset 0");
        assertThat(result.ok()).isFalse();
        assertThat(JsonReport.toJson(result)).contains("\"lost\": " + deleted);
    }

    @Test
    void givenNothingTamperedWith_whenAnE2eRunIsVerified_thenEveryRecordIsConsumedOnceInOrder() throws Exception {
        PerfResult result = new LoadRun(workload("e2e", "clean-e2e", 2, 2, 2, 2000), null).execute();

        DeliveryChecker.Result v = result.verify();
        assertThat(result.consumerFailures()).isEmpty();
        assertThat(v.acknowledged()).isEqualTo(2000);
        assertThat(v.consumed()).isEqualTo(2000);
        assertThat(v.lost()).isZero();
        assertThat(v.duplicated()).isZero();
        assertThat(v.reordered()).isZero();
        assertThat(result.ok()).isTrue();
        assertThat(result.e2eLatency().count()).isEqualTo(2000);
    }

    @Test
    void givenATopicWrittenByAnEarlierRun_whenConsumedWithVerify_thenEveryRecordIsReadAndNoGapIsFound() throws Exception {
        PerfResult produced = new LoadRun(workload("produce", "consume-later", 3, 1, 1, 1500), null).execute();
        assertThat(produced.ok()).isTrue();

        PerfResult consumed = new LoadRun(workload("consume", "consume-later", 3, 1, 2, 1500), null).execute();

        assertThat(consumed.consumerFailures()).isEmpty();
        assertThat(consumed.consume().records()).isEqualTo(1500);
        assertThat(consumed.consume().bytes()).isEqualTo(1500 * 100L);
        assertThat(consumed.produce()).isNull();
        assertThat(consumed.verify().consumed()).isEqualTo(1500);
        assertThat(consumed.verify().clean()).isTrue();
        assertThat(consumed.ok()).isTrue();
    }

    /** Kafka's Admin moves the partition's log start offset (DeleteRecords), as retention would. */
    private void deleteRecordsBefore(String topic, int partition, long offset) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        try (Admin admin = Admin.create(props)) {
            admin.deleteRecords(Map.of(new org.apache.kafka.common.TopicPartition(topic, partition),
                    RecordsToDelete.beforeOffset(offset))).all().get(30, TimeUnit.SECONDS);
        }
    }
}

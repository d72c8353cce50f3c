package io.tidelog.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.log.LogManager;
import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.replica.AppendResult;
import io.tidelog.broker.replica.PartitionRecords;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What must survive a restart of the broker on the same data dir: topics with their ids and
 * configs, records, idempotent-producer state, and the clean-shutdown marker after shutdown.
 */
class BrokerServerRestartTest {

    @TempDir
    Path dir;
    private BrokerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    private BrokerConfig config(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0");
        settings.put("log.dirs", dir.toString());
        settings.put("log.segment.bytes", Integer.toString(1024 * 1024));
        settings.put("num.network.threads", "2");
        settings.putAll(extra);
        return BrokerConfig.from(settings);
    }

    private void startServer() throws IOException {
        server = BrokerServer.start(config(Map.of()), Time.SYSTEM);
    }

    private AppendResult append(String topic, int partition, ByteBuffer batch) throws Exception {
        CompletableFuture<List<AppendResult>> done = new CompletableFuture<>();
        server.replicaManager().appendRecords(List.of(new PartitionRecords(new TopicPartition(topic, partition), batch)),
                (short) -1, 10_000, done::complete);
        return done.get(10, TimeUnit.SECONDS).get(0);
    }

    private static ByteBuffer idempotent(long producerId, int baseSequence, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder().producer(producerId, (short) 0, baseSequence);
        for (String value : values) {
            builder.append(1_000L, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    @Test
    void givenAnIdempotentProducersBatches_whenTheBrokerRestarts_thenARetryIsStillADuplicateAndAGapStillRejected()
            throws Exception {
        startServer();
        server.topicRegistry().create("t", 1, Map.of());
        assertThat(append("t", 0, idempotent(11, 0, "a", "b")).baseOffset()).isZero();
        assertThat(append("t", 0, idempotent(11, 2, "c")).baseOffset()).isEqualTo(2);
        server.shutdown();

        startServer();
        AppendResult retry = append("t", 0, idempotent(11, 0, "a", "b"));
        AppendResult gap = append("t", 0, idempotent(11, 9, "z"));
        AppendResult next = append("t", 0, idempotent(11, 3, "d"));

        assertThat(retry.error()).isEqualTo(Errors.NONE);
        assertThat(retry.baseOffset()).isZero();
        assertThat(gap.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(next.baseOffset()).isEqualTo(3);
        assertThat(server.replicaManager().partition("t", 0).logEndOffset()).isEqualTo(4);
        assertThat(server.replicaManager().partition("t", 0).highWatermark()).isEqualTo(4);
    }

    @Test
    void givenNoProducerSnapshot_asAfterACrash_whenTheBrokerStarts_thenProducerStateIsRebuiltFromTheLog()
            throws Exception {
        startServer();
        server.topicRegistry().create("t", 1, Map.of());
        append("t", 0, idempotent(21, 0, "a"));
        append("t", 0, idempotent(21, 1, "b", "c"));
        server.shutdown();
        Path snapshot = dir.resolve("t-0").resolve("producer-state.snapshot");
        assertThat(snapshot).exists();
        java.nio.file.Files.delete(snapshot);

        startServer();
        AppendResult retry = append("t", 0, idempotent(21, 1, "b", "c"));
        AppendResult gap = append("t", 0, idempotent(21, 7, "z"));

        assertThat(retry.error()).isEqualTo(Errors.NONE);
        assertThat(retry.baseOffset()).isEqualTo(1);
        assertThat(gap.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(server.replicaManager().partition("t", 0).logEndOffset()).isEqualTo(3);
    }

    @Test
    void givenTopicsWithConfigs_whenTheBrokerRestarts_thenTopicsIdsConfigsAndRecordsAreBack() throws Exception {
        startServer();
        server.topicRegistry().create("orders", 3, Map.of("retention.ms", "60000"));
        TopicImage before = server.topicRegistry().image().topic("orders");
        append("orders", 2, idempotent(-1, -1, "x"));
        server.shutdown();
        assertThat(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).exists();

        startServer();

        TopicImage after = server.topicRegistry().image().topic("orders");
        assertThat(after).isEqualTo(before);
        assertThat(server.replicaManager().partition("orders", 0)).isNotNull();
        assertThat(server.replicaManager().partition("orders", 3)).isNull();
        assertThat(server.replicaManager().partition("orders", 2).logEndOffset()).isEqualTo(1);
    }

    @Test
    void givenADeletedTopic_whenTheBrokerRestarts_thenItStaysDeleted() throws Exception {
        startServer();
        server.topicRegistry().create("gone", 2, Map.of());
        append("gone", 0, idempotent(-1, -1, "x"));
        server.topicRegistry().delete("gone");
        assertThat(server.replicaManager().partition("gone", 0)).isNull();
        server.shutdown();

        startServer();

        assertThat(server.topicRegistry().image().topic("gone")).isNull();
        assertThat(dir.resolve("gone-0")).doesNotExist();
    }

    @Test
    void givenTheTopicRegistryFileIsLost_whenTheBrokerStarts_thenTopicsFoundInTheLogDirsAreKeptWithTheirData()
            throws Exception {
        startServer();
        server.topicRegistry().create("precious", 3, Map.of());
        append("precious", 1, idempotent(-1, -1, "keep me"));
        server.shutdown();
        java.nio.file.Files.delete(dir.resolve(io.tidelog.broker.metadata.TopicStore.FILE_NAME));

        startServer();

        assertThat(server.topicRegistry().image().topic("precious").partitionCount()).isEqualTo(3);
        assertThat(server.topicRegistry().image().topic("__consumer_offsets").configs())
                .containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", "-1");
        assertThat(server.replicaManager().partition("precious", 1).logEndOffset()).isEqualTo(1);
    }

    @Test
    void givenADataDirOfAnotherNode_whenStarting_thenStartupFailsNamingTheNodeIds() throws Exception {
        startServer();
        server.shutdown();
        server = null;

        assertThatThrownBy(() -> BrokerServer.start(config(Map.of("node.id", "5")), Time.SYSTEM))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("node.id=5");
    }

    @Test
    void givenARunningBroker_whenShutdownIsCalledTwice_thenTheSecondCallReturnsAfterTheFirstCompleted()
            throws Exception {
        startServer();
        server.shutdown();
        server.shutdown();
        server.awaitTermination();
        assertThat(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).exists();
    }
}

package io.tidelog.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidelog.broker.RawClient;
import io.tidelog.broker.replica.Partition;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.FetchRequest;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.message.ProduceRequest;
import io.tidelog.protocol.message.ProduceResponse;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} against a real broker on real sockets: the names {@code docs/operations.md}
 * lists are served with their types, and the numbers match the traffic a client sent.
 */
class MetricsEndpointTest {

    private static final Path GUIDE = Paths.get(System.getProperty("basedir", "."))
            .resolve("../docs/operations.md").normalize();
    private static final short PRODUCE_V = 9;
    private static final short FETCH_V = 12;

    @TempDir
    Path dir;

    @Test
    void givenTrafficAndAnError_whenScraped_thenEveryDocumentedMetricIsServedWithItsDocumentedType() throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            createTopic(broker, "documented", 1);
            try (RawClient client = broker.connect()) {
                produce(client, "documented", 0, batch("a", "b"));
                fetch(client, "documented", 0, 0);
                assertThat(fetch(client, "documented", 0, 1_000).errorCode())
                        .isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
            }

            Scrape scrape = broker.scrape();

            Map<String, String> documented = new LinkedHashMap<>(metricTable("### Tidelog metrics"));
            documented.putAll(metricTable("### JVM and process metrics"));
            assertThat(documented).as("metric tables in %s", GUIDE).hasSizeGreaterThan(20);
            for (Map.Entry<String, String> metric : documented.entrySet()) {
                assertThat(scrape.types()).as("served metric families").containsEntry(metric.getKey(), metric.getValue());
            }
            List<String> servedTidelog = scrape.types().keySet().stream().filter(n -> n.startsWith("tidelog_")).toList();
            assertThat(documented.keySet()).as("every served tidelog_ metric is documented in %s", GUIDE)
                    .containsAll(servedTidelog);
        }
    }

    @Test
    void givenThreeProduceRequestsAndOneFetchOfEverything_whenScraped_thenBytesAndRecordsInAndOutMatchWhatWasSent()
            throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            createTopic(broker, "traffic", 1);
            List<ByteBuffer> batches = List.of(batch("one"), batch("two", "three"), batch("four", "five", "six"));
            int bytes = batches.stream().mapToInt(ByteBuffer::remaining).sum();
            try (RawClient client = broker.connect()) {
                for (ByteBuffer batch : batches) {
                    assertThat(produce(client, "traffic", 0, batch).errorCode()).isEqualTo(Errors.NONE.code());
                }
                FetchResponse.FetchableTopicResponse.PartitionData fetched = fetch(client, "traffic", 0, 0);
                assertThat(((MemoryRecords) fetched.records()).sizeInBytes()).isEqualTo(bytes);
            }

            Scrape scrape = broker.scrape();

            assertThat(scrape.value("tidelog_topic_bytes_in_total", "topic", "traffic")).hasValue(bytes);
            assertThat(scrape.value("tidelog_topic_records_in_total", "topic", "traffic")).hasValue(6);
            assertThat(scrape.value("tidelog_topic_bytes_out_total", "topic", "traffic")).hasValue(bytes);
            assertThat(scrape.value("tidelog_topic_records_out_total", "topic", "traffic")).hasValue(6);
            assertThat(scrape.value("tidelog_request_duration_seconds_count", "api", "Produce")).hasValue(3);
            assertThat(scrape.value("tidelog_request_duration_seconds_count", "api", "Fetch")).hasValue(1);
            assertThat(scrape.value("tidelog_request_duration_seconds_bucket", "api", "Produce", "le", "+Inf"))
                    .hasValue(3);
            assertThat(scrape.value("tidelog_request_duration_seconds_sum", "api", "Produce").orElseThrow())
                    .isPositive();
        }
    }

    @Test
    void givenFetchesFromABatchStartAndFromInsideABatch_whenScraped_thenRecordsOutCountsFromEachFetchOffset()
            throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            createTopic(broker, "middle", 1);
            ByteBuffer last = batch("d", "e", "f", "g");
            int lastBytes = last.remaining();
            try (RawClient client = broker.connect()) {
                produce(client, "middle", 0, batch("a", "b", "c"));
                produce(client, "middle", 0, last);
                fetch(client, "middle", 0, 3); // the batch of offsets 3-6: 4 records
                fetch(client, "middle", 0, 5); // the same batch again, delivering 5 and 6
                fetch(client, "middle", 0, 7); // the log end: nothing
            }

            Scrape scrape = broker.scrape();

            assertThat(scrape.value("tidelog_topic_records_out_total", "topic", "middle")).hasValue(4 + 2);
            assertThat(scrape.value("tidelog_topic_bytes_out_total", "topic", "middle")).hasValue(2 * lastBytes);
        }
    }

    @Test
    void givenALogOfManySegments_whenAConsumerReadsItAllFetchByFetch_thenRecordsAndBytesOutEqualWhatWentIn()
            throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir, Map.of("log.segment.bytes", "2048"))) {
            createTopic(broker, "segmented", 1);
            try (RawClient client = broker.connect()) {
                for (int i = 0; i < 20; i++) {
                    produce(client, "segmented", 0, batch("v".repeat(300), "w".repeat(300), "z".repeat(i)));
                }
                assertThat(broker.server().replicaManager().partition("segmented", 0).log().segmentCount())
                        .isGreaterThan(3);
                long offset = 0;
                int fetches = 0;
                while (offset < 60 && fetches++ < 100) {
                    ByteBuffer records = ((MemoryRecords) fetch(client, "segmented", 0, offset).records()).buffer();
                    RecordBatch batch = new RecordBatch();
                    for (int p = records.position(); p < records.limit(); p += batch.sizeInBytes()) {
                        offset = batch.wrap(records, p).lastOffset() + 1;
                    }
                }
                assertThat(offset).isEqualTo(60);
            }

            Scrape scrape = broker.scrape();

            assertThat(scrape.value("tidelog_topic_records_out_total", "topic", "segmented")).hasValue(60);
            assertThat(scrape.value("tidelog_topic_bytes_out_total", "topic", "segmented"))
                    .isEqualTo(scrape.value("tidelog_topic_bytes_in_total", "topic", "segmented"));
        }
    }

    @Test
    void givenALongPollWaitingForData_whenScraped_thenItIsCountedAsParkedUntilAProduceAnswersIt() throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            createTopic(broker, "polled", 1);
            try (RawClient consumer = broker.connect(); RawClient producer = broker.connect()) {
                int correlationId = consumer.send(fetchRequest("polled", 0, 0, 30_000), FETCH_V);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(broker.scrape().value("tidelog_parked_requests", "api", "Fetch")).hasValue(1));
                Scrape parked = broker.scrape();
                assertThat(parked.value("tidelog_requests_in_flight").orElseThrow()).isGreaterThanOrEqualTo(1);
                assertThat(parked.value("tidelog_request_duration_seconds_count", "api", "Fetch")).hasValue(0);

                produce(producer, "polled", 0, batch("wake", "up"));
                FetchResponse answer = consumer.receive(correlationId, io.tidelog.protocol.ApiKey.FETCH, FETCH_V,
                        FetchResponse::read);

                assertThat(answer.responses().get(0).partitions().get(0).highWatermark()).isEqualTo(2);
                Scrape after = broker.scrape();
                assertThat(after.value("tidelog_parked_requests", "api", "Fetch")).hasValue(0);
                assertThat(after.value("tidelog_request_duration_seconds_count", "api", "Fetch")).hasValue(1);
                assertThat(after.value("tidelog_topic_records_out_total", "topic", "polled")).hasValue(2);
            }
        }
    }

    @Test
    void givenALongPollThatTimesOut_whenScraped_thenItsRecordedLatencyIncludesTheWait() throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            createTopic(broker, "quiet", 1);
            try (RawClient consumer = broker.connect()) {
                FetchResponse answer = consumer.call(fetchRequest("quiet", 0, 0, 300), FETCH_V, FetchResponse::read);
                assertThat(answer.responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
            }

            Scrape scrape = broker.scrape();

            assertThat(scrape.value("tidelog_request_duration_seconds_count", "api", "Fetch")).hasValue(1);
            assertThat(scrape.value("tidelog_request_duration_seconds_sum", "api", "Fetch").orElseThrow())
                    .as("a 300 ms long poll is timed from arrival to answer").isGreaterThanOrEqualTo(0.3);
            assertThat(scrape.value("tidelog_request_duration_seconds_bucket", "api", "Fetch", "le", "0.25"))
                    .hasValue(0);
        }
    }

    @Test
    void givenAppendsRollsAndDeletedRecords_whenScraped_thenPartitionGaugesEqualThePartitionsOffsets() throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir, Map.of("log.segment.bytes", "1024"))) {
            createTopic(broker, "offsets", 2);
            try (RawClient client = broker.connect()) {
                for (int i = 0; i < 12; i++) {
                    produce(client, "offsets", 0, batch("x".repeat(200), "y".repeat(200)));
                }
            }
            try (Admin admin = admin(broker)) {
                admin.deleteRecords(Map.of(new TopicPartition("offsets", 0), RecordsToDelete.beforeOffset(10)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Partition partition = broker.server().replicaManager().partition("offsets", 0);

            Scrape scrape = broker.scrape();

            assertThat(partition.logEndOffset()).isEqualTo(24);
            assertThat(partition.log().segmentCount()).isGreaterThan(1);
            String[] p0 = {"topic", "offsets", "partition", "0"};
            assertThat(scrape.value("tidelog_partition_log_end_offset", p0)).hasValue(partition.logEndOffset());
            assertThat(scrape.value("tidelog_partition_high_watermark", p0)).hasValue(partition.highWatermark());
            assertThat(scrape.value("tidelog_partition_high_watermark", p0)).hasValue(24);
            assertThat(scrape.value("tidelog_partition_log_start_offset", p0)).hasValue(10);
            assertThat(scrape.value("tidelog_partition_segments", p0)).hasValue(partition.log().segmentCount());
            assertThat(scrape.value("tidelog_partition_size_bytes", p0)).hasValue(partition.log().sizeInBytes());
            String[] p1 = {"topic", "offsets", "partition", "1"};
            assertThat(scrape.value("tidelog_partition_log_end_offset", p1)).hasValue(0);
            assertThat(scrape.value("tidelog_partitions")).hasValue(broker.server().replicaManager().partitionCount());
            assertThat(scrape.value("tidelog_under_replicated_partitions")).hasValue(0);
            assertThat(scrape.value("tidelog_isr_shrinks_total")).hasValue(0);
        }
    }

    @Test
    void givenADeletedTopic_whenScraped_thenItsPartitionGaugesAndTopicCountersAreGone() throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            createTopic(broker, "doomed", 2);
            createTopic(broker, "kept", 1);
            try (RawClient client = broker.connect()) {
                produce(client, "doomed", 1, batch("bye"));
                produce(client, "kept", 0, batch("stay"));
            }
            assertThat(broker.scrape().value("tidelog_partition_log_end_offset", "topic", "doomed", "partition", "1"))
                    .hasValue(1);

            try (Admin admin = admin(broker)) {
                admin.deleteTopics(List.of("doomed")).all().get(30, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(broker.scrape().anySampleWithLabel("topic", "doomed")).as("series of topic doomed")
                            .isFalse());
            Scrape scrape = broker.scrape();
            assertThat(scrape.value("tidelog_topic_records_in_total", "topic", "kept")).hasValue(1);
            assertThat(scrape.value("tidelog_partition_log_end_offset", "topic", "kept", "partition", "0")).hasValue(1);
        }
    }

    @Test
    void givenTheEndpoint_whenAskedWithOtherMethodsOrPaths_thenItAnswers405Or404AndHeadLikeGetWithoutABody()
            throws Exception {
        try (MetricsBroker broker = new MetricsBroker(dir)) {
            HttpResponse<String> get = broker.request("GET", "/metrics");
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(get.body()).contains("# TYPE tidelog_partitions gauge");

            HttpResponse<String> post = broker.request("POST", "/metrics");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(broker.request("DELETE", "/metrics").statusCode()).isEqualTo(405);
            assertThat(broker.request("GET", "/").statusCode()).isEqualTo(404);
            assertThat(broker.request("GET", "/metrics/extra").statusCode()).isEqualTo(404);
            HttpResponse<String> head = broker.request("HEAD", "/metrics");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(broker.request("GET", "/metrics?name=x").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void givenTwoBrokersInOneJvm_whenOnlyOneIsProducedTo_thenTheOtherReportsNoTrafficOfItsOwn() throws Exception {
        try (MetricsBroker busy = new MetricsBroker(dir.resolve("busy"));
             MetricsBroker idle = new MetricsBroker(dir.resolve("idle"))) {
            createTopic(busy, "shared-name", 1);
            createTopic(idle, "shared-name", 1);
            try (RawClient client = busy.connect()) {
                produce(client, "shared-name", 0, batch("only", "here"));
            }

            assertThat(busy.scrape().value("tidelog_topic_records_in_total", "topic", "shared-name")).hasValue(2);
            Scrape idleScrape = idle.scrape();
            assertThat(idleScrape.value("tidelog_topic_records_in_total", "topic", "shared-name")).hasValue(0);
            assertThat(idleScrape.value("tidelog_request_duration_seconds_count", "api", "Produce")).hasValue(0);
        }
    }

    @Test
    void givenALogDirLeftWithoutACleanShutdownMarker_whenTheBrokerStarts_thenItsPartitionsCountAsRecovered()
            throws Exception {
        try (MetricsBroker first = new MetricsBroker(dir)) {
            createTopic(first, "crashy", 3);
            try (RawClient client = first.connect()) {
                produce(client, "crashy", 0, batch("before", "the", "crash"));
            }
        }
        Files.delete(dir.resolve(io.tidelog.broker.log.LogManager.CLEAN_SHUTDOWN_FILE));

        try (MetricsBroker second = new MetricsBroker(dir)) {
            Scrape scrape = second.scrape();

            int partitionDirs;
            try (var entries = Files.list(dir)) {
                partitionDirs = (int) entries.filter(Files::isDirectory).count();
            }
            assertThat(partitionDirs).isEqualTo(4); // crashy-0..2 and __consumer_offsets-0
            assertThat(scrape.value("tidelog_log_recovery_partitions")).hasValue(partitionDirs);
            assertThat(scrape.value("tidelog_log_recovery_seconds").orElseThrow()).isPositive();
            assertThat(scrape.value("tidelog_partition_log_end_offset", "topic", "crashy", "partition", "0"))
                    .hasValue(3);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** First column (backticks removed) to second column of the table after {@code heading}. */
    static Map<String, String> metricTable(String heading) throws IOException {
        List<String> lines = Files.readAllLines(GUIDE, StandardCharsets.UTF_8);
        int start = lines.indexOf(heading);
        assertThat(start).as("heading '%s' in %s", heading, GUIDE).isNotNegative();
        List<String> table = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("|")) {
                table.add(line);
            } else if (!table.isEmpty()) {
                break;
            }
        }
        Map<String, String> rows = new LinkedHashMap<>();
        for (String row : table.subList(Math.min(2, table.size()), table.size())) {
            String[] cells = row.split("\\|");
            rows.put(cells[1].trim().replace("`", ""), cells[2].trim());
        }
        return rows;
    }

    private static Admin admin(MetricsBroker broker) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(props);
    }

    static void createTopic(MetricsBroker broker, String topic, int partitions) throws Exception {
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static ByteBuffer batch(String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        long now = System.currentTimeMillis();
        for (String value : values) {
            builder.append(now, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    static ProduceResponse.TopicProduceResponse.PartitionProduceResponse produce(RawClient client, String topic,
            int partition, ByteBuffer records) throws IOException {
        ProduceRequest.TopicProduceData topicData = new ProduceRequest.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequest.TopicProduceData.PartitionProduceData()
                .setIndex(partition).setRecords(MemoryRecords.wrap(records.duplicate())));
        ProduceRequest request = new ProduceRequest().setAcks((short) 1).setTimeoutMs(10_000);
        request.topicData().add(topicData);
        return client.call(request, PRODUCE_V, ProduceResponse::read).responses().get(0).partitionResponses().get(0);
    }

    static FetchResponse.FetchableTopicResponse.PartitionData fetch(RawClient client, String topic, int partition,
                                                                   long offset) throws IOException {
        return client.call(fetchRequest(topic, partition, offset, 0), FETCH_V, FetchResponse::read)
                .responses().get(0).partitions().get(0);
    }

    static FetchRequest fetchRequest(String topic, int partition, long offset, int maxWaitMs) {
        FetchRequest.FetchTopic fetchTopic = new FetchRequest.FetchTopic().setTopic(topic);
        fetchTopic.partitions().add(new FetchRequest.FetchTopic.FetchPartition().setPartition(partition)
                .setFetchOffset(offset).setPartitionMaxBytes(1024 * 1024));
        FetchRequest request = new FetchRequest().setMaxWaitMs(maxWaitMs).setMinBytes(1)
                .setMaxBytes(50 * 1024 * 1024).setIsolationLevel((byte) 0).setSessionEpoch(-1);
        request.topics().add(fetchTopic);
        return request;
    }
}

package io.tidelog.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lifetimes of the per-topic and per-partition meters in one registry. */
class BrokerMetricsTest {

    /** Fixed offsets standing in for a partition. */
    private record FixedPartition(long logEndOffset, long highWatermark, long logStartOffset, int segmentCount,
                                  long sizeInBytes) implements MeteredPartition {
    }

    @Test
    void givenTwoPartitionsOfATopic_whenOneIsRemoved_thenTheTopicCountersStayUntilTheLastGoes() {
        try (BrokerMetrics metrics = new BrokerMetrics()) {
            TopicMeters first = metrics.acquireTopic("orders");
            PartitionMeters p0 = metrics.registerPartition(first, 0, new FixedPartition(5, 4, 1, 2, 300));
            TopicMeters second = metrics.acquireTopic("orders");
            PartitionMeters p1 = metrics.registerPartition(second, 1, new FixedPartition(0, 0, 0, 1, 0));
            assertThat(second).isSameAs(first);
            first.recordIn(100, 3);

            p0.close();
            p0.close();

            Scrape afterOne = new Scrape(metrics.scrape());
            assertThat(afterOne.value("tidelog_topic_records_in_total", "topic", "orders")).hasValue(3);
            assertThat(afterOne.value("tidelog_partition_log_end_offset", "topic", "orders", "partition", "0")).isEmpty();
            assertThat(afterOne.value("tidelog_partition_log_end_offset", "topic", "orders", "partition", "1"))
                    .hasValue(0);

            p1.close();

            Scrape afterBoth = new Scrape(metrics.scrape());
            assertThat(afterBoth.anySampleWithLabel("topic", "orders")).isFalse();
            TopicMeters recreated = metrics.acquireTopic("orders");
            assertThat(recreated).isNotSameAs(first);
            assertThat(new Scrape(metrics.scrape()).value("tidelog_topic_records_in_total", "topic", "orders"))
                    .hasValue(0);
        }
    }

    @Test
    void givenAPartition_whenScraped_thenItsGaugesReadItsCurrentValues() {
        try (BrokerMetrics metrics = new BrokerMetrics()) {
            metrics.registerPartition(metrics.acquireTopic("t"), 3, new FixedPartition(42, 40, 7, 3, 4096));

            Scrape scrape = new Scrape(metrics.scrape());

            String[] tags = {"topic", "t", "partition", "3"};
            assertThat(scrape.value("tidelog_partition_log_end_offset", tags)).hasValue(42);
            assertThat(scrape.value("tidelog_partition_high_watermark", tags)).hasValue(40);
            assertThat(scrape.value("tidelog_partition_log_start_offset", tags)).hasValue(7);
            assertThat(scrape.value("tidelog_partition_segments", tags)).hasValue(3);
            assertThat(scrape.value("tidelog_partition_size_bytes", tags)).hasValue(4096);
        }
    }
}

package io.tidelog.broker.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The gauges of one hosted partition (log end offset, high-water mark, log start offset, segment
 * count, size), tagged {@code topic} and {@code partition}, read from the partition at scrape time.
 * {@link #close()} removes them from the registry and releases the topic's counters; the
 * replica manager calls it when the partition is deleted, so a deleted topic leaves no series.
 */
public final class PartitionMeters implements AutoCloseable {

    private final BrokerMetrics metrics;
    private final TopicMeters topic;
    private final List<Meter> gauges;
    private boolean closed;

    private PartitionMeters(BrokerMetrics metrics, TopicMeters topic, List<Meter> gauges) {
        this.metrics = metrics;
        this.topic = topic;
        this.gauges = gauges;
    }

    static PartitionMeters register(BrokerMetrics metrics, MeterRegistry registry, TopicMeters topic, int partition,
                                    MeteredPartition state) {
        Tags tags = Tags.of(MetricNames.TAG_TOPIC, topic.topic(), MetricNames.TAG_PARTITION, Integer.toString(partition));
        List<Meter> gauges = List.of(
                gauge(registry, MetricNames.PARTITION_LOG_END_OFFSET, "Offset the next appended record gets",
                        tags, state, MeteredPartition::logEndOffset, null),
                gauge(registry, MetricNames.PARTITION_HIGH_WATERMARK, "Offset below which consumers may read",
                        tags, state, MeteredPartition::highWatermark, null),
                gauge(registry, MetricNames.PARTITION_LOG_START_OFFSET, "First offset still in the log (low-water mark)",
                        tags, state, MeteredPartition::logStartOffset, null),
                gauge(registry, MetricNames.PARTITION_SEGMENTS, "Live segments of the partition log",
                        tags, state, MeteredPartition::segmentCount, null),
                gauge(registry, MetricNames.PARTITION_SIZE, "Bytes in the partition's live segments",
                        tags, state, MeteredPartition::sizeInBytes, "bytes"));
        return new PartitionMeters(metrics, topic, gauges);
    }

    private static Meter gauge(MeterRegistry registry, String name, String description, Tags tags,
                               MeteredPartition state, ToDoubleFunction<MeteredPartition> value, String unit) {
        return Gauge.builder(name, state, value).description(description).tags(tags).baseUnit(unit)
                .strongReference(true).register(registry);
    }

    /** The topic's traffic counters, shared with the topic's other partitions. */
    public TopicMeters topic() {
        return topic;
    }

    /** Removes the gauges and releases the topic counters. Idempotent; control path. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        metrics.remove(gauges);
        metrics.releaseTopic(topic);
    }
}

package io.tidelog.broker.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One broker's meters, in a registry of its own (never Micrometer's global one, so brokers sharing
 * a JVM in tests keep their numbers apart), rendered in the Prometheus text format by
 * {@link #scrape()} and served by {@link MetricsEndpoint}.
 *
 * <p>Holds the per-API request meters, the per-topic traffic counters (shared by a topic's
 * partitions, removed with its last partition), the per-partition gauges, broker-wide gauges
 * bound by whoever owns the value, the ISR change counters and, once {@link #bindJvmMetrics()} is
 * called, Micrometer's JVM and process meters under their standard names.
 *
 * <p>Threading: recording (counters, timers) is lock-free from any thread; registering and
 * removing meters is control-path work and synchronises on this object.
 */
public final class BrokerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final RequestMetrics requests;
    private final Counter isrShrinks;
    private final Counter isrExpands;
    private final Map<String, TopicMeters> topics = new HashMap<>();
    private final List<AutoCloseable> binders = new ArrayList<>();

    public BrokerMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(),
                Clock.SYSTEM);
        this.requests = new RequestMetrics(registry);
        this.isrShrinks = Counter.builder(MetricNames.ISR_SHRINKS)
                .description("Times a partition led here removed a replica from its ISR").register(registry);
        this.isrExpands = Counter.builder(MetricNames.ISR_EXPANDS)
                .description("Times a partition led here added a replica to its ISR").register(registry);
    }

    /** Adds JVM memory, GC, threads, classes, CPU, uptime and file-descriptor meters. */
    public synchronized void bindJvmMetrics() {
        JvmGcMetrics gc = new JvmGcMetrics();
        binders.add(gc);
        for (MeterBinder binder : new MeterBinder[] {new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics()}) {
            binder.bindTo(registry);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** The Content-Type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    public RequestMetrics requests() {
        return requests;
    }

    /** To count ISR shrinks where the ISR changes (replication); 0 on a single node. */
    public Counter isrShrinks() {
        return isrShrinks;
    }

    /** To count ISR expansions where the ISR changes (replication); 0 on a single node. */
    public Counter isrExpands() {
        return isrExpands;
    }

    /**
     * A broker-wide gauge read from {@code value} at scrape time. The supplier must not block or
     * lock for long: it runs on the endpoint's thread.
     */
    public void gauge(String name, String description, Tags tags, String baseUnit, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tags(tags).baseUnit(baseUnit).strongReference(true)
                .register(registry);
    }

    /**
     * The traffic counters of {@code topic}, registered on first use; every call must be matched
     * by one {@link PartitionMeters#close()} (or {@link #releaseTopic}). Control path.
     */
    public synchronized TopicMeters acquireTopic(String topic) {
        TopicMeters meters = topics.computeIfAbsent(topic, this::newTopicMeters);
        meters.holders++;
        return meters;
    }

    /**
     * The gauges of a partition this broker now hosts; closing them also releases {@code topic}
     * (acquired for this partition). Control path.
     */
    public synchronized PartitionMeters registerPartition(TopicMeters topic, int partition, MeteredPartition state) {
        return PartitionMeters.register(this, registry, topic, partition, state);
    }

    private TopicMeters newTopicMeters(String topic) {
        return new TopicMeters(topic,
                topicCounter(MetricNames.TOPIC_BYTES_IN, topic, "Record batch bytes appended by produce requests"),
                topicCounter(MetricNames.TOPIC_RECORDS_IN, topic, "Records appended by produce requests"),
                topicCounter(MetricNames.TOPIC_BYTES_OUT, topic, "Record batch bytes sent to fetchers"),
                topicCounter(MetricNames.TOPIC_RECORDS_OUT, topic, "Records sent to fetchers, from each fetch offset on"));
    }

    private Counter topicCounter(String name, String topic, String description) {
        return Counter.builder(name).description(description).tag(MetricNames.TAG_TOPIC, topic).register(registry);
    }

    /** Gives back one {@link #acquireTopic} (when no partition gauges were registered for it). */
    public synchronized void releaseTopic(TopicMeters meters) {
        if (meters == TopicMeters.NONE) {
            return;
        }
        if (--meters.holders == 0 && topics.get(meters.topic()) == meters) {
            topics.remove(meters.topic());
            remove(List.of(meters.meters()));
        }
    }

    synchronized void remove(List<Meter> meters) {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
    }

    /** Unbinds the JVM meters (GC notification listeners) and closes the registry. */
    @Override
    public synchronized void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // a listener that cannot be removed only keeps counting into a closed registry
            }
        }
        binders.clear();
        registry.close();
    }
}

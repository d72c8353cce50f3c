package io.tidelog.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.noop.NoopCounter;

/**
 * The traffic counters of one topic: bytes and records appended by produce requests, bytes and
 * records sent to fetchers. A partition holds its topic's instance, so recording is one lock-free
 * counter add with no lookup.
 *
 * <p>Shared by the topic's partitions: {@link BrokerMetrics#acquireTopic} and
 * {@link BrokerMetrics#releaseTopic} count the partitions holding it; the counters leave the
 * registry when the last partition goes (topic deleted), so a re-created topic starts from zero.
 */
public final class TopicMeters {

    /** For partitions created without a registry (tests, tools): records nothing. */
    public static final TopicMeters NONE = new TopicMeters("", noop(MetricNames.TOPIC_BYTES_IN),
            noop(MetricNames.TOPIC_RECORDS_IN), noop(MetricNames.TOPIC_BYTES_OUT), noop(MetricNames.TOPIC_RECORDS_OUT));

    private final String topic;
    private final Counter bytesIn;
    private final Counter recordsIn;
    private final Counter bytesOut;
    private final Counter recordsOut;
    /** Partitions holding this instance; guarded by the owning BrokerMetrics. */
    int holders;

    TopicMeters(String topic, Counter bytesIn, Counter recordsIn, Counter bytesOut, Counter recordsOut) {
        this.topic = topic;
        this.bytesIn = bytesIn;
        this.recordsIn = recordsIn;
        this.bytesOut = bytesOut;
        this.recordsOut = recordsOut;
    }

    private static Counter noop(String name) {
        return new NoopCounter(new Meter.Id(name, Tags.empty(), null, null,
                Meter.Type.COUNTER));
    }

    /** A produce batch was appended. */
    public void recordIn(int bytes, long records) {
        bytesIn.increment(bytes);
        recordsIn.increment(records);
    }

    /** Batches were handed to a fetcher. */
    public void recordOut(int bytes, long records) {
        bytesOut.increment(bytes);
        recordsOut.increment(records);
    }

    public String topic() {
        return topic;
    }

    Meter[] meters() {
        return new Meter[] {bytesIn, recordsIn, bytesOut, recordsOut};
    }
}

package io.tidelog.broker.metrics;

/**
 * The Micrometer names of Tidelog's meters. The Prometheus endpoint shows them with dots as
 * underscores, the base unit appended ({@code _seconds}, {@code _bytes}) and counters ending in
 * {@code _total}; {@code docs/operations.md} lists the names as Prometheus shows them, and
 * {@code MetricsEndpointTest} checks that every listed name is served.
 */
public final class MetricNames {

    /** Tag of per-API meters: the API's name as Kafka spells it ({@code Produce}, {@code Fetch}). */
    public static final String TAG_API = "api";
    public static final String TAG_TOPIC = "topic";
    public static final String TAG_PARTITION = "partition";
    public static final String TAG_ERROR = "error";

    public static final String REQUEST_DURATION = "tidelog.request.duration";
    public static final String REQUEST_ERRORS = "tidelog.request.errors";
    public static final String REQUESTS_IN_FLIGHT = "tidelog.requests.in.flight";
    public static final String PAUSED_CONNECTIONS = "tidelog.connections.paused";
    public static final String PARKED_REQUESTS = "tidelog.parked.requests";

    public static final String TOPIC_BYTES_IN = "tidelog.topic.bytes.in";
    public static final String TOPIC_RECORDS_IN = "tidelog.topic.records.in";
    public static final String TOPIC_BYTES_OUT = "tidelog.topic.bytes.out";
    public static final String TOPIC_RECORDS_OUT = "tidelog.topic.records.out";

    public static final String PARTITION_LOG_END_OFFSET = "tidelog.partition.log.end.offset";
    public static final String PARTITION_HIGH_WATERMARK = "tidelog.partition.high.watermark";
    public static final String PARTITION_LOG_START_OFFSET = "tidelog.partition.log.start.offset";
    public static final String PARTITION_SEGMENTS = "tidelog.partition.segments";
    public static final String PARTITION_SIZE = "tidelog.partition.size";

    public static final String PARTITIONS = "tidelog.partitions";
    public static final String UNDER_REPLICATED_PARTITIONS = "tidelog.under.replicated.partitions";
    public static final String ISR_SHRINKS = "tidelog.isr.shrinks";
    public static final String ISR_EXPANDS = "tidelog.isr.expands";

    public static final String LOG_RECOVERY_TIME = "tidelog.log.recovery";
    public static final String LOG_RECOVERY_PARTITIONS = "tidelog.log.recovery.partitions";

    private MetricNames() {
    }
}

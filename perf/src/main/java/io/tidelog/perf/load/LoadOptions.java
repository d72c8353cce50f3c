package io.tidelog.perf.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags every {@code tidelog perf} subcommand takes. Each flag that was given becomes a
 * workload setting under the workload-file key named in its description, overriding the
 * {@code --workload} file; flags not given leave the file's value (or the default) alone.
 */
public final class LoadOptions {

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT[,...]",
            description = "Brokers to bootstrap from (bootstrap.servers; default 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = {"-w", "--workload"}, paramLabel = "FILE",
            description = "Workload properties file; flags given here override its keys.")
    Path workloadFile;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "With 'run': produce, consume or e2e instead of the workload file's mode (mode).")
    String mode;

    @Option(names = "--topic", description = "Topic (topic; default tidelog-perf).")
    String topic;

    @Option(names = "--partitions", description = "Partitions when the topic is created (partitions; default 1).")
    Integer partitions;

    @Option(names = "--replication-factor", description = "Replicas when the topic is created (replication.factor; default 1).")
    Short replicationFactor;

    @Option(names = "--no-create-topic", negatable = false,
            description = "Do not create the topic; it must exist (create.topic=false).")
    boolean noCreateTopic;

    @Option(names = {"-s", "--record-size"}, paramLabel = "BYTES",
            description = "Value size in bytes, at least " + RecordPayload.HEADER_BYTES + " (record.size; default 100).")
    Integer recordSize;

    @Option(names = {"-r", "--rate"}, paramLabel = "RECORDS_PER_SEC",
            description = "Total send rate; 0 sends as fast as the producers allow (rate; default 0).")
    Long rate;

    @Option(names = "--producers", description = "Producer threads, one producer each (producers; default 1).")
    Integer producers;

    @Option(names = "--consumers", description = "Consumer threads, one consumer each (consumers; default 1).")
    Integer consumers;

    @Option(names = {"-n", "--records"}, description = "Records to send (or read), warm-up included (records; default 1000000).")
    Long records;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION",
            description = "Longest run, warm-up included, e.g. 30s, 5m (duration; default 60s).")
    String duration;

    @Option(names = "--warmup", paramLabel = "DURATION",
            description = "Leading time excluded from the results (warmup; default 0s).")
    String warmup;

    @Option(names = "--verify", negatable = false,
            description = "Check every record: report lost, duplicated and reordered records; exit 1 on any (verify=true).")
    boolean verify;

    @Option(names = "--drain-timeout", paramLabel = "DURATION",
            description = "How long consumers may take to read the rest after producers stop (drain.timeout; default 30s).")
    String drainTimeout;

    @Option(names = {"-P", "--producer-property"}, paramLabel = "KEY=VALUE",
            description = "Producer setting with Kafka's name, e.g. acks=all (producer.KEY). Repeatable.")
    List<String> producerProperties = new ArrayList<>();

    @Option(names = {"-C", "--consumer-property"}, paramLabel = "KEY=VALUE",
            description = "Consumer setting with Kafka's name, e.g. fetch.min.bytes=1 (consumer.KEY). Repeatable.")
    List<String> consumerProperties = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON (fields: docs/perf.md).")
    Path jsonFile;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Write a self-contained HTML report: throughput over time and the latency percentile chart.")
    Path htmlFile;

    @Option(names = {"-q", "--quiet"}, description = "No progress line every second; the summary only.")
    boolean quiet;

    /** The workload-file settings these flags stand for, only for flags that were given. */
    Map<String, String> overrides() {
        Map<String, String> s = new LinkedHashMap<>();
        put(s, Workload.BOOTSTRAP_SERVERS, bootstrapServers);
        put(s, Workload.MODE, mode);
        put(s, Workload.TOPIC, topic);
        put(s, Workload.PARTITIONS, partitions);
        put(s, Workload.REPLICATION_FACTOR, replicationFactor);
        if (noCreateTopic) {
            s.put(Workload.CREATE_TOPIC, "false");
        }
        put(s, Workload.RECORD_SIZE, recordSize);
        put(s, Workload.RATE, rate);
        put(s, Workload.PRODUCERS, producers);
        put(s, Workload.CONSUMERS, consumers);
        put(s, Workload.RECORDS, records);
        put(s, Workload.DURATION, duration);
        put(s, Workload.WARMUP, warmup);
        if (verify) {
            s.put(Workload.VERIFY, "true");
        }
        put(s, Workload.DRAIN_TIMEOUT, drainTimeout);
        keyValues(s, Workload.PRODUCER_PREFIX, producerProperties, "--producer-property");
        keyValues(s, Workload.CONSUMER_PREFIX, consumerProperties, "--consumer-property");
        return s;
    }

    private static void put(Map<String, String> s, String key, Object value) {
        if (value != null) {
            s.put(key, value.toString());
        }
    }

    private static void keyValues(Map<String, String> s, String prefix, List<String> pairs, String flag) {
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new WorkloadException(flag + " " + pair + ": expected KEY=VALUE");
            }
            s.put(prefix + pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
    }
}

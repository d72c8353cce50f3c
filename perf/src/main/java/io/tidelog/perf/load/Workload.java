package io.tidelog.perf.load;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything a load run does, validated. Built from string settings whose keys are those of a
 * workload file (see {@code docs/perf.md}); command-line flags map onto the same keys, so a flag
 * overrides the file's value for that key. Keys starting {@code producer.} and {@code consumer.}
 * pass the rest of the key to the client (Kafka's names).
 *
 * <p>Invariants: counts are positive, {@code rate} is 0 (as fast as possible) or positive,
 * {@code records} and {@code duration} are both finite, so every run ends; the warm-up is shorter
 * than the duration.
 */
public record Workload(Mode mode, String description, String bootstrapServers, String topic, int partitions,
                       short replicationFactor, boolean createTopic, int recordSize, long rate, int producers,
                       int consumers, long records, Duration duration, Duration warmup, boolean verify,
                       Duration drainTimeout, Map<String, String> producerProperties,
                       Map<String, String> consumerProperties) {

    public static final String MODE = "mode";
    public static final String DESCRIPTION = "description";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC = "topic";
    public static final String PARTITIONS = "partitions";
    public static final String REPLICATION_FACTOR = "replication.factor";
    public static final String CREATE_TOPIC = "create.topic";
    public static final String RECORD_SIZE = "record.size";
    public static final String RATE = "rate";
    public static final String PRODUCERS = "producers";
    public static final String CONSUMERS = "consumers";
    public static final String RECORDS = "records";
    public static final String DURATION = "duration";
    public static final String WARMUP = "warmup";
    public static final String VERIFY = "verify";
    public static final String DRAIN_TIMEOUT = "drain.timeout";
    public static final String PRODUCER_PREFIX = "producer.";
    public static final String CONSUMER_PREFIX = "consumer.";

    static final Set<String> KNOWN_KEYS = Set.of(MODE, DESCRIPTION, BOOTSTRAP_SERVERS, TOPIC, PARTITIONS,
            REPLICATION_FACTOR, CREATE_TOPIC, RECORD_SIZE, RATE, PRODUCERS, CONSUMERS, RECORDS, DURATION, WARMUP,
            VERIFY, DRAIN_TIMEOUT);

    /** Defaults of every plain key: a one-minute, one-million-record, unthrottled e2e run on 127.0.0.1:9092. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(MODE, "e2e"), Map.entry(DESCRIPTION, ""), Map.entry(BOOTSTRAP_SERVERS, "127.0.0.1:9092"),
            Map.entry(TOPIC, "tidelog-perf"), Map.entry(PARTITIONS, "1"), Map.entry(REPLICATION_FACTOR, "1"),
            Map.entry(CREATE_TOPIC, "true"), Map.entry(RECORD_SIZE, "100"), Map.entry(RATE, "0"),
            Map.entry(PRODUCERS, "1"), Map.entry(CONSUMERS, "1"), Map.entry(RECORDS, "1000000"),
            Map.entry(DURATION, "60s"), Map.entry(WARMUP, "0s"), Map.entry(VERIFY, "false"),
            Map.entry(DRAIN_TIMEOUT, "30s"));

    public Workload {
        producerProperties = Map.copyOf(producerProperties);
        consumerProperties = Map.copyOf(consumerProperties);
    }

    /** Parses and validates {@code settings} over the defaults; errors name the key and its value. */
    public static Workload from(Map<String, String> settings) {
        Map<String, String> raw = new TreeMap<>(DEFAULTS);
        Map<String, String> producer = new LinkedHashMap<>();
        Map<String, String> consumer = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey().trim();
            String value = e.getValue().trim();
            if (key.startsWith(PRODUCER_PREFIX) && key.length() > PRODUCER_PREFIX.length()) {
                producer.put(key.substring(PRODUCER_PREFIX.length()), value);
            } else if (key.startsWith(CONSUMER_PREFIX) && key.length() > CONSUMER_PREFIX.length()) {
                consumer.put(key.substring(CONSUMER_PREFIX.length()), value);
            } else if (KNOWN_KEYS.contains(key)) {
                raw.put(key, value);
            } else {
                throw new WorkloadException(key, value, "unknown workload key (known: " + new TreeMap<>(DEFAULTS).keySet()
                        + ", producer.<client key>, consumer.<client key>)");
            }
        }
        Workload w = new Workload(
                parse(raw, MODE, Mode::parse),
                raw.get(DESCRIPTION),
                nonEmpty(raw, BOOTSTRAP_SERVERS),
                nonEmpty(raw, TOPIC),
                (int) positive(raw, PARTITIONS, Integer.MAX_VALUE),
                (short) positive(raw, REPLICATION_FACTOR, Short.MAX_VALUE),
                bool(raw, CREATE_TOPIC),
                (int) range(raw, RECORD_SIZE, RecordPayload.HEADER_BYTES, 64 * 1024 * 1024),
                range(raw, RATE, 0, Long.MAX_VALUE),
                (int) positive(raw, PRODUCERS, 1024),
                (int) positive(raw, CONSUMERS, 1024),
                positive(raw, RECORDS, Long.MAX_VALUE),
                duration(raw, DURATION, false),
                duration(raw, WARMUP, true),
                bool(raw, VERIFY),
                duration(raw, DRAIN_TIMEOUT, false),
                producer, consumer);
        if (w.warmup.compareTo(w.duration) >= 0) {
            throw new WorkloadException(WARMUP, raw.get(WARMUP), "the warm-up must be shorter than duration="
                    + raw.get(DURATION) + ", or nothing would be measured");
        }
        return w;
    }

    /** The settings of a workload properties file (UTF-8). */
    public static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new WorkloadException("cannot read workload file " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> settings.put(k, props.getProperty(k)));
        return settings;
    }

    /** The same workload run as {@code newMode}. */
    public Workload withMode(Mode newMode) {
        return new Workload(newMode, description, bootstrapServers, topic, partitions, replicationFactor, createTopic,
                recordSize, rate, producers, consumers, records, duration, warmup, verify, drainTimeout,
                producerProperties, consumerProperties);
    }

    /** Every setting under its workload-file key, for reports: the run can be repeated from it. */
    public Map<String, String> asSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(MODE, mode.label());
        s.put(DESCRIPTION, description);
        s.put(BOOTSTRAP_SERVERS, bootstrapServers);
        s.put(TOPIC, topic);
        s.put(PARTITIONS, Integer.toString(partitions));
        s.put(REPLICATION_FACTOR, Short.toString(replicationFactor));
        s.put(CREATE_TOPIC, Boolean.toString(createTopic));
        s.put(RECORD_SIZE, Integer.toString(recordSize));
        s.put(RATE, Long.toString(rate));
        s.put(PRODUCERS, Integer.toString(producers));
        s.put(CONSUMERS, Integer.toString(consumers));
        s.put(RECORDS, Long.toString(records));
        s.put(DURATION, DurationParser.format(duration));
        s.put(WARMUP, DurationParser.format(warmup));
        s.put(VERIFY, Boolean.toString(verify));
        s.put(DRAIN_TIMEOUT, DurationParser.format(drainTimeout));
        new TreeMap<>(producerProperties).forEach((k, v) -> s.put(PRODUCER_PREFIX + k, v));
        new TreeMap<>(consumerProperties).forEach((k, v) -> s.put(CONSUMER_PREFIX + k, v));
        return s;
    }

    /** True when sends are paced at {@link #rate} records per second (coordinated-omission corrected). */
    public boolean fixedRate() {
        return rate > 0;
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(Map<String, String> raw, String key, Parser<T> parser) {
        try {
            return parser.parse(raw.get(key));
        } catch (IllegalArgumentException e) {
            throw new WorkloadException(key, raw.get(key), e.getMessage());
        }
    }

    private static String nonEmpty(Map<String, String> raw, String key) {
        String v = raw.get(key);
        if (v.isEmpty()) {
            throw new WorkloadException(key, v, "must not be empty");
        }
        return v;
    }

    private static boolean bool(Map<String, String> raw, String key) {
        String v = raw.get(key);
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new WorkloadException(key, v, "must be true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private static long positive(Map<String, String> raw, String key, long max) {
        return range(raw, key, 1, max);
    }

    private static long range(Map<String, String> raw, String key, long min, long max) {
        String v = raw.get(key).replace("_", "");
        long value;
        try {
            value = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new WorkloadException(key, raw.get(key), "not a whole number");
        }
        if (value < min || value > max) {
            throw new WorkloadException(key, raw.get(key), "must be between " + min + " and " + max);
        }
        return value;
    }

    private static Duration duration(Map<String, String> raw, String key, boolean zeroAllowed) {
        Duration d = parse(raw, key, DurationParser::parse);
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new WorkloadException(key, raw.get(key), zeroAllowed ? "must not be negative" : "must be positive");
        }
        return d;
    }
}

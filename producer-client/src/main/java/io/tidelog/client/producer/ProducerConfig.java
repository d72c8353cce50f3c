package io.tidelog.client.producer;

import io.tidelog.client.common.ConfigValues;
import io.tidelog.protocol.record.CompressionType;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Typed, validated producer settings with Kafka's key names and Kafka 4's defaults. Unknown keys,
 * malformed values and contradictions are a {@link ConfigException} naming the key.
 *
 * <p>Idempotence (on by default) needs acks=all, retries &gt; 0 and at most 5 requests in flight:
 * when {@code enable.idempotence} was not set explicitly and one of these says otherwise,
 * idempotence is switched off (as Kafka does); when it was set to true explicitly, it is an error.
 */
public final class ProducerConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String ACKS = "acks";
    public static final String BATCH_SIZE = "batch.size";
    public static final String LINGER_MS = "linger.ms";
    public static final String BUFFER_MEMORY = "buffer.memory";
    public static final String MAX_BLOCK_MS = "max.block.ms";
    public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String RETRIES = "retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
    public static final String MAX_IN_FLIGHT = "max.in.flight.requests.per.connection";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MAX_REQUEST_SIZE = "max.request.size";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String RECONNECT_BACKOFF_MS = "reconnect.backoff.ms";
    public static final String PARTITIONER_IGNORE_KEYS = "partitioner.ignore.keys";
    public static final String KEY_SERIALIZER = "key.serializer";
    public static final String VALUE_SERIALIZER = "value.serializer";

    static final Set<String> KNOWN_KEYS = Set.of(BOOTSTRAP_SERVERS, CLIENT_ID, ACKS, BATCH_SIZE, LINGER_MS,
            BUFFER_MEMORY, MAX_BLOCK_MS, DELIVERY_TIMEOUT_MS, REQUEST_TIMEOUT_MS, RETRIES, RETRY_BACKOFF_MS,
            ENABLE_IDEMPOTENCE, MAX_IN_FLIGHT, COMPRESSION_TYPE, MAX_REQUEST_SIZE, METADATA_MAX_AGE_MS,
            RECONNECT_BACKOFF_MS, PARTITIONER_IGNORE_KEYS, KEY_SERIALIZER, VALUE_SERIALIZER);

    private final List<InetSocketAddress> bootstrapServers;
    private final String clientId;
    private final short acks;
    private final int batchSize;
    private final long lingerMs;
    private final long bufferMemory;
    private final long maxBlockMs;
    private final long deliveryTimeoutMs;
    private final int requestTimeoutMs;
    private final int retries;
    private final long retryBackoffMs;
    private final boolean idempotent;
    private final int maxInFlight;
    private final CompressionType compression;
    private final int maxRequestSize;
    private final long metadataMaxAgeMs;
    private final long reconnectBackoffMs;
    private final boolean partitionerIgnoreKeys;
    private final String keySerializerClass;
    private final String valueSerializerClass;

    private ProducerConfig(Map<String, String> raw) {
        for (String key : raw.keySet()) {
            if (!KNOWN_KEYS.contains(key)) {
                throw new ConfigException(key, raw.get(key), "unknown producer setting (known: "
                        + new java.util.TreeSet<>(KNOWN_KEYS) + ")");
            }
        }
        ConfigValues values = new ConfigValues(raw, ConfigException::new);
        bootstrapServers = values.addresses(BOOTSTRAP_SERVERS);
        clientId = raw.getOrDefault(CLIENT_ID, "tidelog-producer");
        acks = parseAcks(raw.getOrDefault(ACKS, "all"));
        batchSize = (int) values.longValue(BATCH_SIZE, 16384, 0, Integer.MAX_VALUE);
        lingerMs = values.longValue(LINGER_MS, 5, 0, Integer.MAX_VALUE);
        bufferMemory = values.longValue(BUFFER_MEMORY, 32L * 1024 * 1024, 1, Long.MAX_VALUE);
        maxBlockMs = values.longValue(MAX_BLOCK_MS, 60_000, 0, Long.MAX_VALUE);
        requestTimeoutMs = (int) values.longValue(REQUEST_TIMEOUT_MS, 30_000, 1, Integer.MAX_VALUE);
        deliveryTimeoutMs = values.longValue(DELIVERY_TIMEOUT_MS, 120_000, 1, Integer.MAX_VALUE);
        retries = (int) values.longValue(RETRIES, Integer.MAX_VALUE, 0, Integer.MAX_VALUE);
        retryBackoffMs = values.longValue(RETRY_BACKOFF_MS, 100, 0, Long.MAX_VALUE);
        maxInFlight = (int) values.longValue(MAX_IN_FLIGHT, 5, 1, Integer.MAX_VALUE);
        String compressionName = raw.getOrDefault(COMPRESSION_TYPE, "none");
        compression = CompressionType.forName(compressionName).orElseThrow(() -> new ConfigException(
                COMPRESSION_TYPE, compressionName, "must be one of none, gzip, snappy, lz4, zstd"));
        maxRequestSize = (int) values.longValue(MAX_REQUEST_SIZE, 1024 * 1024, 1, Integer.MAX_VALUE);
        metadataMaxAgeMs = values.longValue(METADATA_MAX_AGE_MS, 300_000, 0, Long.MAX_VALUE);
        reconnectBackoffMs = values.longValue(RECONNECT_BACKOFF_MS, 50, 0, Long.MAX_VALUE);
        partitionerIgnoreKeys = values.booleanValue(PARTITIONER_IGNORE_KEYS, false);
        keySerializerClass = raw.get(KEY_SERIALIZER);
        valueSerializerClass = raw.get(VALUE_SERIALIZER);
        idempotent = resolveIdempotence(raw, values);
        if (deliveryTimeoutMs < lingerMs + requestTimeoutMs) {
            throw new ConfigException(DELIVERY_TIMEOUT_MS, deliveryTimeoutMs, "must be at least "
                    + LINGER_MS + " + " + REQUEST_TIMEOUT_MS + " = " + (lingerMs + requestTimeoutMs));
        }
    }

    /** Settings from a map whose values are strings, numbers or booleans (as Kafka accepts). */
    public static ProducerConfig from(Map<String, ?> settings) {
        Map<String, String> raw = new HashMap<>();
        settings.forEach((key, value) -> {
            if (value == null) {
                throw new ConfigException(key, null, "a value is required");
            }
            if (value instanceof Class<?> type) {
                raw.put(key, type.getName());
            } else {
                raw.put(key, value.toString().trim());
            }
        });
        return new ProducerConfig(raw);
    }

    public static ProducerConfig from(Properties properties) {
        Map<String, Object> map = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return from(map);
    }

    private boolean resolveIdempotence(Map<String, String> raw, ConfigValues values) {
        String explicit = raw.get(ENABLE_IDEMPOTENCE);
        boolean wanted = values.booleanValue(ENABLE_IDEMPOTENCE, true);
        if (!wanted) {
            return false;
        }
        String conflict = acks != -1 ? ACKS + " must be all (-1)"
                : retries == 0 ? RETRIES + " must be greater than 0"
                : maxInFlight > 5 ? MAX_IN_FLIGHT + " must be at most 5" : null;
        if (conflict == null) {
            return true;
        }
        if (explicit != null) {
            throw new ConfigException(ENABLE_IDEMPOTENCE, explicit, "the idempotent producer needs: " + conflict
                    + "; set enable.idempotence=false to use the other settings");
        }
        return false;
    }

    private static short parseAcks(String value) {
        switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "all":
            case "-1":
                return -1;
            case "0":
                return 0;
            case "1":
                return 1;
            default:
                throw new ConfigException(ACKS, value, "must be one of all, -1, 0, 1");
        }
    }

    public List<InetSocketAddress> bootstrapServers() {
        return bootstrapServers;
    }

    public String clientId() {
        return clientId;
    }

    /** -1 (all), 0 or 1. */
    public short acks() {
        return acks;
    }

    public int batchSize() {
        return batchSize;
    }

    public long lingerMs() {
        return lingerMs;
    }

    public long bufferMemory() {
        return bufferMemory;
    }

    public long maxBlockMs() {
        return maxBlockMs;
    }

    public long deliveryTimeoutMs() {
        return deliveryTimeoutMs;
    }

    public int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public int retries() {
        return retries;
    }

    public long retryBackoffMs() {
        return retryBackoffMs;
    }

    public boolean idempotent() {
        return idempotent;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public CompressionType compression() {
        return compression;
    }

    public int maxRequestSize() {
        return maxRequestSize;
    }

    public long metadataMaxAgeMs() {
        return metadataMaxAgeMs;
    }

    public long reconnectBackoffMs() {
        return reconnectBackoffMs;
    }

    public boolean partitionerIgnoreKeys() {
        return partitionerIgnoreKeys;
    }

    String keySerializerClass() {
        return keySerializerClass;
    }

    String valueSerializerClass() {
        return valueSerializerClass;
    }
}

package io.tidelog.broker.config;

/**
 * Where an effective configuration value came from. The ids are the wire values of DescribeConfigs'
 * {@code config_source} field (v1+), so handlers can send {@link #id()} unchanged.
 */
public enum ConfigSource {
    /** A per-topic override, set at CreateTopics or later. */
    DYNAMIC_TOPIC_CONFIG((byte) 1),
    /** Set in the broker's properties file or by {@code --override}. */
    STATIC_BROKER_CONFIG((byte) 4),
    /** Nobody set it: the built-in default. */
    DEFAULT_CONFIG((byte) 5);

    private final byte id;

    ConfigSource(byte id) {
        this.id = id;
    }

    public byte id() {
        return id;
    }
}

package io.tidelog.client.admin;

/** One configuration value as DescribeConfigs reports it; {@code value} is null when sensitive or unset. */
public record ConfigEntry(String name, String value, Source source, boolean readOnly, boolean sensitive) {

    /** Where a value comes from (DescribeConfigs' configSource). */
    public enum Source {
        UNKNOWN(0), DYNAMIC_TOPIC_CONFIG(1), DYNAMIC_BROKER_CONFIG(2), DYNAMIC_DEFAULT_BROKER_CONFIG(3),
        STATIC_BROKER_CONFIG(4), DEFAULT_CONFIG(5), DYNAMIC_BROKER_LOGGER_CONFIG(6), CLIENT_METRICS_CONFIG(7),
        GROUP_CONFIG(8);

        private final int id;

        Source(int id) {
            this.id = id;
        }

        static Source forId(int id) {
            for (Source source : values()) {
                if (source.id == id) {
                    return source;
                }
            }
            return UNKNOWN;
        }
    }

    /** True when the topic (or broker) sets this value itself rather than inheriting a default. */
    public boolean isOverride() {
        return source == Source.DYNAMIC_TOPIC_CONFIG || source == Source.DYNAMIC_BROKER_CONFIG;
    }
}

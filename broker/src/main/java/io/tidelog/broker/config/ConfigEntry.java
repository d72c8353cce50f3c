package io.tidelog.broker.config;

import java.util.Objects;

/**
 * One effective configuration value as DescribeConfigs reports it. {@code value} is the canonical
 * text form (what a client would pass back to set it), or null for a key with no value.
 */
public record ConfigEntry(String name, String value, ConfigSource source) {

    public ConfigEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    /** True unless the built-in default is in effect. */
    public boolean isOverridden() {
        return source != ConfigSource.DEFAULT_CONFIG;
    }
}

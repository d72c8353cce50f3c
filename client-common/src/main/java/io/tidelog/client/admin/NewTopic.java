package io.tidelog.client.admin;

import java.util.Map;
import java.util.Objects;

/**
 * A topic to create. {@code partitions} -1 and {@code replicationFactor} -1 take the broker's
 * {@code num.partitions} and {@code default.replication.factor}; {@code configs} are topic keys
 * ({@code retention.ms}, {@code cleanup.policy}, ...).
 */
public record NewTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    /** Ask the broker for its default (partitions or replication factor). */
    public static final int BROKER_DEFAULT = -1;

    public NewTopic {
        Objects.requireNonNull(name, "name");
        if (partitions == 0 || partitions < BROKER_DEFAULT) {
            throw new IllegalArgumentException("partitions must be positive or -1 (broker default), was " + partitions);
        }
        if (replicationFactor == 0 || replicationFactor < BROKER_DEFAULT) {
            throw new IllegalArgumentException(
                    "replication factor must be positive or -1 (broker default), was " + replicationFactor);
        }
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }

    public NewTopic(String name, int partitions, short replicationFactor) {
        this(name, partitions, replicationFactor, Map.of());
    }
}

package io.tidelog.systemtests.clients;

import java.util.Map;

/**
 * One way into a broker under test: the {@code bootstrap.servers} a client uses, and, when the
 * way goes through a {@link CuttingProxy}, that proxy (which the broker advertises, so every
 * connection of a client bootstrapped here passes through it).
 */
record Endpoint(String bootstrapServers, CuttingProxy proxy) {

    /** Creates a topic through this endpoint with Kafka's Admin (replication factor 1). */
    void createTopic(String topic, int partitions, Map<String, String> configs) {
        KafkaSide.createTopic(bootstrapServers, topic, partitions, configs);
    }

    void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, Map.of());
    }
}

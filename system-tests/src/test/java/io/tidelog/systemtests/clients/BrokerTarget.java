package io.tidelog.systemtests.clients;

/**
 * A running Kafka-protocol broker that the client contract tests run against: a Tidelog broker
 * process or an Apache Kafka broker process, configured alike (single node, replication factor 1,
 * no topic auto-creation, no initial rebalance delay, 8 MiB segments). The same test bodies run
 * against either; only {@link #name()} tells them apart in reports.
 *
 * <p>One target of each kind is shared by all contract test classes of a run (see
 * {@link SharedBrokers}); every test uses its own topics and group ids.
 */
abstract class BrokerTarget implements AutoCloseable {

    /** "Tidelog" or "Apache Kafka 4.3.1", for assertion messages. */
    abstract String name();

    /** Direct connections to the broker. */
    abstract Endpoint direct();

    /**
     * Connections through a {@link CuttingProxy} that the broker advertises. Its topics may be a
     * different broker's than {@link #direct()}'s: create them through this endpoint.
     */
    abstract Endpoint proxied();

    @Override
    public String toString() {
        return name();
    }
}

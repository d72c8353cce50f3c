package io.tidelog.systemtests.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.OptionalInt;

import io.tidelog.systemtests.KafkaBrokerProcess;

/**
 * An Apache Kafka 4.3.1 broker (KRaft, single node) started from Maven artifacts. It has two client
 * listeners: one advertised as itself ({@link #direct()}) and one advertised at a
 * {@link CuttingProxy}'s port ({@link #proxied()}), so both endpoints reach the same broker and
 * share its topics.
 */
final class KafkaTarget extends BrokerTarget {

    private final CuttingProxy proxy;
    private final KafkaBrokerProcess broker;

    private KafkaTarget() {
        try {
            proxy = new CuttingProxy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = KafkaBrokerProcess.start("clients-kafka", Map.of("log.segment.bytes", Integer.toString(8 * 1024 * 1024)),
                OptionalInt.of(proxy.port()));
        proxy.target(broker.proxiedListenerPort());
    }

    static BrokerTarget start() {
        return new KafkaTarget();
    }

    @Override
    String name() {
        return "Apache Kafka 4.3.1";
    }

    @Override
    Endpoint direct() {
        return new Endpoint(broker.bootstrapServers(), null);
    }

    @Override
    Endpoint proxied() {
        return new Endpoint("127.0.0.1:" + proxy.port(), proxy);
    }

    @Override
    public void close() throws IOException {
        try {
            proxy.close();
        } finally {
            broker.close();
        }
    }
}

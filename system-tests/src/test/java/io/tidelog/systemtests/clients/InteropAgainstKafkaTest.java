package io.tidelog.systemtests.clients;

/** Interop of our clients and Kafka's through an Apache Kafka 4.3.1 broker process. */
@Against(Broker.KAFKA)
class InteropAgainstKafkaTest extends InteropContract {
}

package io.tidelog.systemtests.clients;

/** The producer contract against an Apache Kafka 4.3.1 broker process. */
@Against(Broker.KAFKA)
class ProducerAgainstKafkaTest extends ProducerContract {
}

package io.tidelog.systemtests.clients;

/** The consumer contract against an Apache Kafka 4.3.1 broker process. */
@Against(Broker.KAFKA)
class ConsumerAgainstKafkaTest extends ConsumerContract {
}

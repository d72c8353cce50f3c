package io.tidelog.systemtests.clients;

/** The producer contract against a Tidelog broker process. */
@Against(Broker.TIDELOG)
class ProducerAgainstTidelogTest extends ProducerContract {
}

package io.tidelog.systemtests.clients;

/** The consumer contract against a Tidelog broker process. */
@Against(Broker.TIDELOG)
class ConsumerAgainstTidelogTest extends ConsumerContract {
}

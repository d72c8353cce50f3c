package io.tidelog.systemtests.clients;

/** Interop of our clients and Kafka's through a Tidelog broker process. */
@Against(Broker.TIDELOG)
class InteropAgainstTidelogTest extends InteropContract {
}

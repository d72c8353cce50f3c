package io.tidelog.systemtests.clients;

import java.util.function.Supplier;

/** The kinds of broker the client contract tests run against. */
enum Broker {
    TIDELOG(TidelogTarget::start),
    KAFKA(KafkaTarget::start);

    private final Supplier<BrokerTarget> starter;

    Broker(Supplier<BrokerTarget> starter) {
        this.starter = starter;
    }

    BrokerTarget start() {
        return starter.get();
    }
}

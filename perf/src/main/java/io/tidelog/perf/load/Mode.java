package io.tidelog.perf.load;

import java.util.Locale;

/** What a run measures. */
public enum Mode {
    /** Producers only: send throughput and acknowledgement latency. */
    PRODUCE,
    /** Consumers only, reading what is already in the topic: fetch throughput. */
    CONSUME,
    /** Producers and consumers in one process: throughput both ways and produce-to-consume latency. */
    E2E;

    static Mode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a mode (produce, consume or e2e)");
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.tidelog.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Per-API request meters: a latency histogram (whose {@code _count} is the request count) and
 * error counts. Timers are resolved once into an array indexed by API key, so recording a request
 * is an array read and lock-free adds; nothing is looked up or allocated per request.
 *
 * <p>Latency runs from the moment the request header has been read until the answer is queued on
 * the connection (or the request ends without one), so it includes time parked: a long-poll
 * Fetch counts its wait, an acks=all Produce its wait for the high-water mark.
 */
public final class RequestMetrics {

    /** Histogram bucket bounds: 100 µs to 30 s, roughly 1-2.5-5 per decade. */
    static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30),
    };

    private final MeterRegistry registry;
    private final Timer[] byApiKey;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        int maxId = 0;
        for (ApiKey api : ApiKey.values()) {
            maxId = Math.max(maxId, api.id());
        }
        this.byApiKey = new Timer[maxId + 1];
    }

    /**
     * Registers the timers of the APIs the broker serves (only those can be recorded; others are
     * refused before they are timed). Called once by the dispatcher, before any request.
     */
    public synchronized void serve(Iterable<ApiKey> apis) {
        for (ApiKey api : apis) {
            if (byApiKey[api.id()] == null) {
                byApiKey[api.id()] = Timer.builder(MetricNames.REQUEST_DURATION)
                        .description("Time from reading a request to queueing its answer, by API")
                        .tag(MetricNames.TAG_API, api.apiName())
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry);
            }
        }
    }

    /** Records one request of {@code api} that took {@code nanos}. Any thread; lock-free. */
    public void record(ApiKey api, long nanos) {
        Timer timer = byApiKey[api.id()];
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Counts an error code put into an answer (per partition for Produce and Fetch). Looks the
     * counter up by tags, which allocates: errors are the rare path.
     */
    public void error(ApiKey api, Errors error) {
        Counter.builder(MetricNames.REQUEST_ERRORS)
                .description("Error codes in answers, by API and error (per partition for Produce and Fetch)")
                .tag(MetricNames.TAG_API, api.apiName())
                .tag(MetricNames.TAG_ERROR, error.name())
                .register(registry)
                .increment();
    }

    /** The request timer of {@code api}, null if it is not served (tests, benchmarks). */
    public Timer timer(ApiKey api) {
        return byApiKey[api.id()];
    }
}

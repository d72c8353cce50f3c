/**
 * Broker metrics: a Micrometer registry per broker ({@link io.tidelog.broker.metrics.BrokerMetrics})
 * and its Prometheus endpoint ({@link io.tidelog.broker.metrics.MetricsEndpoint}, {@code metrics.port}).
 *
 * <p>Names start with {@code tidelog_} (JVM and process meters keep Micrometer's standard
 * {@code jvm_} / {@code process_} / {@code system_} names so stock dashboards work); the list an
 * operator reads is the metrics table in {@code docs/operations.md}, checked against a live
 * scrape by the tests.
 *
 * <p>Hot-path rule: whatever is recorded per request or per batch is resolved beforehand (timers
 * in an array by API key, a topic's counters held by its partitions) and recorded with lock-free
 * adds; gauges are read at scrape time from volatile state, never pushed.
 */
package io.tidelog.broker.metrics;

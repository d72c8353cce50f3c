package io.tidelog.perf.jmh;

import io.tidelog.broker.metrics.BrokerMetrics;
import io.tidelog.broker.metrics.RequestMetrics;
import io.tidelog.broker.metrics.TopicMeters;
import io.tidelog.protocol.ApiKey;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the broker's metrics add to each request: the latency histogram record of one request
 * (timer found by API key in an array; SLO buckets), and the per-topic bytes/records counters a
 * partition append or fetch adds to. {@code produceRequest} is the whole per-request metrics work
 * of a one-partition produce. The two-thread variants share the meters, as two event loops do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsRecordingBenchmark {

    private BrokerMetrics metrics;
    private RequestMetrics requests;
    private TopicMeters topic;
    private long latencyNanos = 87_000;

    @Setup(Level.Trial)
    public void setUp() {
        metrics = new BrokerMetrics();
        requests = metrics.requests();
        requests.serve(java.util.List.of(ApiKey.PRODUCE));
        topic = metrics.acquireTopic("bench");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public void requestLatency() {
        requests.record(ApiKey.PRODUCE, latencyNanos);
    }

    @Benchmark
    @Threads(2)
    public void requestLatencyTwoThreads() {
        requests.record(ApiKey.PRODUCE, latencyNanos);
    }

    @Benchmark
    public void topicBytesAndRecordsIn() {
        topic.recordIn(16_384, 60);
    }

    @Benchmark
    @Threads(2)
    public void topicBytesAndRecordsInTwoThreads() {
        topic.recordIn(16_384, 60);
    }

    @Benchmark
    public void produceRequest() {
        topic.recordIn(16_384, 60);
        requests.record(ApiKey.PRODUCE, latencyNanos);
    }
}

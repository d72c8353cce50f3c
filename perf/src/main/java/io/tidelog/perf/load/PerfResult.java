package io.tidelog.perf.load;

import java.util.List;

/**
 * Everything one run measured. {@code produce}/{@code produceLatency} are null when nothing was
 * produced (consume mode); {@code consume} is null when nothing was consumed by the measurement
 * (produce mode without verify); {@code e2eLatency} only in e2e mode; {@code verify} only with
 * {@code --verify}.
 */
public record PerfResult(Workload workload, String startedAt, long runId, double elapsedSeconds,
                         Throughput produce, LatencySummary produceLatency, long sendFailures, String firstSendFailure,
                         Throughput consume, LatencySummary e2eLatency, List<String> consumerFailures,
                         List<IntervalSample> timeline, DeliveryChecker.Result verify) {

    public PerfResult {
        consumerFailures = List.copyOf(consumerFailures);
        timeline = List.copyOf(timeline);
    }

    /** No failed sends, no consumer failures, and (with verify) no anomalies. */
    public boolean ok() {
        return sendFailures == 0 && consumerFailures.isEmpty() && (verify == null || verify.clean());
    }
}

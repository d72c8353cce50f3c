package io.tidelog.perf.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The machine-readable result of a run ({@code --json FILE}). Field names are stable and
 * documented in {@code docs/perf.md}; {@link #SCHEMA} changes if a field changes meaning.
 * Latencies in milliseconds, MB = 10^6 bytes, absent sections are null, NaN is null.
 */
public final class JsonReport {

    public static final String SCHEMA = "tidelog-perf/1";

    private JsonReport() {
    }

    public static void write(PerfResult result, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(result), StandardCharsets.UTF_8);
    }

    public static String toJson(PerfResult r) {
        JsonWriter j = new JsonWriter().beginObject();
        j.field("schema", SCHEMA);
        j.field("mode", r.workload().mode().label());
        j.field("started_at", r.startedAt());
        j.field("run_id", Long.toHexString(r.runId()));
        j.field("elapsed_seconds", r.elapsedSeconds());
        j.field("ok", r.ok());
        j.name("workload").beginObject();
        for (Map.Entry<String, String> e : r.workload().asSettings().entrySet()) {
            j.field(e.getKey(), e.getValue());
        }
        j.endObject();
        j.name("produce");
        if (r.produce() == null) {
            j.nullValue();
        } else {
            j.beginObject();
            throughput(j, r.produce());
            j.field("send_failures", r.sendFailures());
            j.field("first_send_failure", r.firstSendFailure());
            j.field("latency_from", r.workload().fixedRate() ? "intended_send_time" : "send_time");
            j.name("latency_ms");
            latency(j, r.produceLatency());
            j.endObject();
        }
        j.name("consume");
        if (r.consume() == null) {
            j.nullValue();
        } else {
            j.beginObject();
            throughput(j, r.consume());
            j.name("e2e_latency_ms");
            latency(j, r.e2eLatency());
            j.endObject();
        }
        j.name("consumer_failures").beginArray();
        r.consumerFailures().forEach(j::value);
        j.endArray();
        j.name("verify");
        verify(j, r.verify());
        j.name("timeline").beginArray();
        for (IntervalSample s : r.timeline()) {
            j.beginObject()
                    .field("second", s.elapsedSeconds())
                    .field("interval_seconds", s.intervalSeconds())
                    .field("warmup", s.warmup())
                    .field("produced_records", s.produced())
                    .field("produced_bytes", s.producedBytes())
                    .field("produced_records_per_sec", s.producedPerSecond())
                    .field("produce_p50_ms", s.produceP50Ms())
                    .field("produce_p99_ms", s.produceP99Ms())
                    .field("consumed_records", s.consumed())
                    .field("consumed_bytes", s.consumedBytes())
                    .field("consumed_records_per_sec", s.consumedPerSecond())
                    .field("e2e_p50_ms", s.e2eP50Ms())
                    .field("e2e_p99_ms", s.e2eP99Ms())
                    .endObject();
        }
        j.endArray();
        j.endObject();
        return j + "\n";
    }

    private static void throughput(JsonWriter j, Throughput t) {
        j.field("records", t.records());
        j.field("bytes", t.bytes());
        j.field("seconds", t.seconds());
        j.field("records_per_sec", t.recordsPerSecond());
        j.field("mb_per_sec", t.megabytesPerSecond());
    }

    private static void latency(JsonWriter j, LatencySummary l) {
        if (l == null) {
            j.nullValue();
            return;
        }
        j.beginObject()
                .field("count", l.count())
                .field("mean", l.mean())
                .field("p50", l.p50())
                .field("p90", l.p90())
                .field("p99", l.p99())
                .field("p99_9", l.p999())
                .field("p99_99", l.p9999())
                .field("max", l.max());
        j.name("percentiles").beginArray();
        for (LatencySummary.Point p : l.distribution()) {
            j.beginObject().field("percentile", p.percentile()).field("value", p.valueMs()).endObject();
        }
        j.endArray();
        j.endObject();
    }

    private static void verify(JsonWriter j, DeliveryChecker.Result v) {
        if (v == null) {
            j.nullValue();
            return;
        }
        j.beginObject()
                .field("acknowledged", v.acknowledged())
                .field("consumed", v.consumed())
                .field("lost", v.lost())
                .field("duplicated", v.duplicated())
                .field("reordered", v.reordered())
                .field("redelivered", v.redelivered())
                .field("clean", v.clean());
        j.name("partitions").beginArray();
        for (DeliveryChecker.PartitionCounts p : v.partitions()) {
            j.beginObject().field("partition", p.partition()).field("acknowledged", p.acknowledged())
                    .field("consumed", p.consumed()).field("lost", p.lost()).field("duplicated", p.duplicated())
                    .field("reordered", p.reordered()).endObject();
        }
        j.endArray();
        j.name("examples").beginArray();
        v.examples().forEach(j::value);
        j.endArray();
        j.endObject();
    }
}

package io.tidelog.perf.load;

import java.util.Locale;

/** The final summary printed after a run: throughput, percentiles, verify counts. */
final class SummaryText {

    private SummaryText() {
    }

    static String of(PerfResult r) {
        StringBuilder b = new StringBuilder();
        Workload w = r.workload();
        b.append(String.format(Locale.ROOT, "%n%s %s: topic %s, %d B records, %s, %d producer(s), %d consumer(s), warm-up %s%n",
                "tidelog perf", w.mode().label(), w.topic(), w.recordSize(),
                w.fixedRate() ? "fixed rate " + w.rate() + " rec/s" : "max rate", w.producers(), w.consumers(),
                DurationParser.format(w.warmup())));
        if (r.produce() != null) {
            line(b, "produced", r.produce());
            b.append(String.format(Locale.ROOT, "  send failures %,d%s%n", r.sendFailures(),
                    r.firstSendFailure() == null ? "" : " (first: " + r.firstSendFailure() + ")"));
            latency(b, w.fixedRate() ? "ack latency from intended send time" : "ack latency from send", r.produceLatency());
        }
        if (r.consume() != null) {
            line(b, "consumed", r.consume());
        }
        if (r.e2eLatency() != null) {
            latency(b, w.fixedRate() ? "produce-to-consume latency from intended send time" : "produce-to-consume latency",
                    r.e2eLatency());
        }
        for (String f : r.consumerFailures()) {
            b.append("  consumer problem: ").append(f).append('\n');
        }
        if (r.verify() != null) {
            DeliveryChecker.Result v = r.verify();
            b.append(String.format(Locale.ROOT, "verify: acknowledged %,d consumed %,d lost %,d duplicated %,d reordered %,d"
                    + " (redelivered %,d) -> %s%n", v.acknowledged(), v.consumed(), v.lost(), v.duplicated(), v.reordered(),
                    v.redelivered(), v.clean() ? "OK" : "ANOMALIES"));
            for (String e : v.examples()) {
                b.append("  ").append(e).append('\n');
            }
        }
        b.append(r.ok() ? "result: OK\n" : "result: FAILED\n");
        return b.toString();
    }

    private static void line(StringBuilder b, String what, Throughput t) {
        b.append(String.format(Locale.ROOT, "%s %,d records (%,.0f bytes) in %.2f s: %,.0f records/s, %.2f MB/s%n",
                what, t.records(), (double) t.bytes(), t.seconds(), t.recordsPerSecond(), t.megabytesPerSecond()));
    }

    private static void latency(StringBuilder b, String what, LatencySummary l) {
        b.append(String.format(Locale.ROOT, "  %s (ms): p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  p99.99 %.3f  max %.3f"
                + "  mean %.3f  (%,d samples)%n", what, l.p50(), l.p90(), l.p99(), l.p999(), l.p9999(), l.max(), l.mean(),
                l.count()));
    }
}

package io.tidelog.perf.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human-readable result of a run ({@code --html FILE}): one self-contained page (inline CSS
 * and SVG, no scripts, fonts or links) with the headline numbers, throughput over time
 * ({@code svg#throughput-chart}, warm-up shaded), the latency percentile curves
 * ({@code svg#latency-chart}), the verify counts and the workload. Written as XHTML-compatible
 * markup, so any XML parser reads it.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    public static void write(PerfResult result, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toHtml(result), StandardCharsets.UTF_8);
    }

    public static String toHtml(PerfResult r) {
        Workload w = r.workload();
        String title = "tidelog perf " + w.mode().label() + ": " + w.topic() + " on " + w.bootstrapServers();
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>").append(Html.escape(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
                        + "margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 10px;text-align:right}"
                        + "th{background:#f3f3f3}td.k{text-align:left}.bad{color:#c92a2a;font-weight:bold}"
                        + ".good{color:#2b8a3e;font-weight:bold}</style>\n</head>\n<body>\n");
        b.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        b.append("<p>Started ").append(Html.escape(r.startedAt())).append(", ")
                .append(fmt("%.1f", r.elapsedSeconds())).append(" s; ")
                .append(w.fixedRate() ? "fixed rate " + w.rate() + " records/s (latency from the intended send time)"
                        : "max rate (latency from the send call)")
                .append("; ").append(w.recordSize()).append("-byte records; ").append(w.partitions())
                .append(" partition(s); ").append(w.producers()).append(" producer(s), ").append(w.consumers())
                .append(" consumer(s); warm-up ").append(DurationParser.format(w.warmup())).append(" excluded. Result: ")
                .append(r.ok() ? "<span class=\"good\">OK</span>" : "<span class=\"bad\">FAILED</span>").append("</p>\n");
        headline(b, r);
        b.append("<h2>Throughput over time</h2>\n");
        b.append(throughputChart(r).render());
        b.append("<h2>Latency by percentile</h2>\n");
        b.append(latencyChart(r).render());
        verify(b, r);
        b.append("<h2>Workload</h2>\n<table>\n");
        for (Map.Entry<String, String> e : w.asSettings().entrySet()) {
            b.append("<tr><td class=\"k\">").append(Html.escape(e.getKey())).append("</td><td class=\"k\">")
                    .append(Html.escape(e.getValue())).append("</td></tr>\n");
        }
        b.append("</table>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void headline(StringBuilder b, PerfResult r) {
        b.append("<table id=\"headline\">\n<tr><th class=\"k\">flow</th><th>records</th><th>records/s</th><th>MB/s</th>"
                + "<th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>p99.99 ms</th><th>max ms</th></tr>\n");
        if (r.produce() != null) {
            row(b, "produce (ack latency)", r.produce(), r.produceLatency());
        }
        if (r.consume() != null) {
            row(b, r.e2eLatency() != null ? "consume (produce-to-consume latency)" : "consume", r.consume(), r.e2eLatency());
        }
        b.append("</table>\n");
        if (r.sendFailures() > 0) {
            b.append("<p class=\"bad\">").append(r.sendFailures()).append(" sends failed; first: ")
                    .append(Html.escape(r.firstSendFailure())).append("</p>\n");
        }
        for (String f : r.consumerFailures()) {
            b.append("<p class=\"bad\">").append(Html.escape(f)).append("</p>\n");
        }
    }

    private static void row(StringBuilder b, String name, Throughput t, LatencySummary l) {
        b.append("<tr><td class=\"k\">").append(Html.escape(name)).append("</td><td>").append(fmt("%,d", t.records()))
                .append("</td><td>").append(fmt("%,.0f", t.recordsPerSecond())).append("</td><td>")
                .append(fmt("%.2f", t.megabytesPerSecond())).append("</td>");
        if (l == null) {
            b.append("<td>-</td>".repeat(6));
        } else {
            for (double v : new double[] {l.p50(), l.p90(), l.p99(), l.p999(), l.p9999(), l.max()}) {
                b.append("<td>").append(fmt("%.3f", v)).append("</td>");
            }
        }
        b.append("</tr>\n");
    }

    private static SvgChart throughputChart(PerfResult r) {
        SvgChart chart = new SvgChart("throughput-chart", SvgChart.XAxis.LINEAR, "seconds since start", "records/s");
        List<double[]> produced = new ArrayList<>();
        List<double[]> consumed = new ArrayList<>();
        double warmupEnd = 0;
        for (IntervalSample s : r.timeline()) {
            produced.add(new double[] {s.elapsedSeconds(), s.producedPerSecond()});
            consumed.add(new double[] {s.elapsedSeconds(), s.consumedPerSecond()});
            if (s.warmup()) {
                warmupEnd = s.elapsedSeconds();
            }
        }
        if (r.produce() != null) {
            chart.series("produced", produced);
        }
        if (r.consume() != null) {
            chart.series("consumed", consumed);
        }
        if (warmupEnd > 0) {
            chart.shade(0, r.workload().warmup().toNanos() / 1e9);
        }
        return chart;
    }

    private static SvgChart latencyChart(PerfResult r) {
        SvgChart chart = new SvgChart("latency-chart", SvgChart.XAxis.PERCENTILE, "percentile", "latency (ms)");
        if (r.produceLatency() != null) {
            chart.series("produce ack", points(r.produceLatency()));
        }
        if (r.e2eLatency() != null) {
            chart.series("produce-to-consume", points(r.e2eLatency()));
        }
        return chart;
    }

    /**
     * The percentile curve; its last point (the max, at 100 %, which a log axis cannot place) is drawn
     * where the last of {@code count} samples sits: 100 (1 - 1/count) %.
     */
    private static List<double[]> points(LatencySummary l) {
        List<double[]> points = new ArrayList<>();
        double lastSample = 100.0 * (1.0 - 1.0 / Math.max(2, l.count()));
        for (LatencySummary.Point p : l.distribution()) {
            points.add(new double[] {Math.min(p.percentile(), Math.max(lastSample, previous(points))), p.valueMs()});
        }
        return points;
    }

    private static double previous(List<double[]> points) {
        return points.isEmpty() ? 0 : points.get(points.size() - 1)[0];
    }

    private static void verify(StringBuilder b, PerfResult r) {
        DeliveryChecker.Result v = r.verify();
        if (v == null) {
            return;
        }
        b.append("<h2>Verify</h2>\n<p>").append(v.clean() ? "<span class=\"good\">No anomalies.</span>"
                : "<span class=\"bad\">" + v.anomalies() + " anomalies.</span>").append(" Redelivered (not an anomaly): ")
                .append(v.redelivered()).append("</p>\n<table id=\"verify\">\n<tr><th>partition</th><th>acknowledged</th>"
                        + "<th>consumed</th><th>lost</th><th>duplicated</th><th>reordered</th></tr>\n");
        for (DeliveryChecker.PartitionCounts p : v.partitions()) {
            b.append("<tr><td>").append(p.partition() < 0 ? "unknown" : Integer.toString(p.partition())).append("</td><td>")
                    .append(p.acknowledged()).append("</td><td>").append(p.consumed()).append("</td><td>").append(p.lost())
                    .append("</td><td>").append(p.duplicated()).append("</td><td>").append(p.reordered()).append("</td></tr>\n");
        }
        b.append("<tr><th>total</th><th>").append(v.acknowledged()).append("</th><th>").append(v.consumed())
                .append("</th><th>").append(v.lost()).append("</th><th>").append(v.duplicated()).append("</th><th>")
                .append(v.reordered()).append("</th></tr>\n</table>\n");
        if (!v.examples().isEmpty()) {
            b.append("<ul>\n");
            v.examples().forEach(e -> b.append("<li>").append(Html.escape(e)).append("</li>\n"));
            b.append("</ul>\n");
        }
    }

    private static String fmt(String format, Object value) {
        return String.format(Locale.ROOT, format, value);
    }
}

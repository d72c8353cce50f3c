package io.tidelog.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/** {@code perf produce} at a fixed rate against a real in-process broker, through the command line. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerfProduceReportTest {

    private static final int RECORDS = 3000;

    private Path dir;

    private TestBroker broker;
    private int exitCode;
    private String stderr;
    private Map<String, Object> json;
    private Document html;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void produceAtAFixedRateWithReports(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        broker = TestBroker.start(dir.resolve("data"));
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PerfCommand());
        cli.setErr(new PrintWriter(err));
        exitCode = cli.execute("produce", "-b", broker.bootstrap(), "--topic", "fixed-rate", "--partitions", "3",
                "--records", Integer.toString(RECORDS), "--rate", "2000", "--duration", "60s", "--record-size", "200",
                "-P", "linger.ms=1", "--json", dir.resolve("out/report.json").toString(),
                "--html", dir.resolve("out/report.html").toString());
        stderr = err.toString();
        json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("out/report.json")));
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        html = factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                Files.readAllBytes(dir.resolve("out/report.html"))));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void givenABoundedFixedRateRun_whenItEnds_thenItExitsZeroAndTheSummaryCountsEveryRecordSent() {
        assertThat(exitCode).as("stderr: %s", stderr).isEqualTo(PerfCommand.EXIT_OK);
        Map<String, Object> produce = map(json.get("produce"));
        assertThat(((Number) produce.get("records")).longValue()).isEqualTo(RECORDS);
        assertThat(((Number) produce.get("bytes")).longValue()).isEqualTo(RECORDS * 200L);
        assertThat(((Number) produce.get("send_failures")).longValue()).isZero();
        Map<String, Object> latency = map(produce.get("latency_ms"));
        assertThat(((Number) latency.get("count")).longValue()).isEqualTo(RECORDS);
    }

    @Test
    void givenTheJsonReport_whenParsed_thenItHasTheDocumentedFields() {
        assertThat(json).containsKeys("schema", "mode", "started_at", "run_id", "elapsed_seconds", "ok", "workload",
                "produce", "consume", "consumer_failures", "verify", "timeline");
        assertThat(json.get("schema")).isEqualTo(JsonReport.SCHEMA);
        assertThat(json.get("mode")).isEqualTo("produce");
        assertThat(json.get("ok")).isEqualTo(Boolean.TRUE);
        assertThat(json.get("consume")).isNull();
        assertThat(json.get("verify")).isNull();
        Map<String, Object> workload = map(json.get("workload"));
        assertThat(workload.get("rate")).isEqualTo("2000");
        assertThat(workload.get("partitions")).isEqualTo("3");
        assertThat(workload.get("producer.linger.ms")).isEqualTo("1");
        Map<String, Object> produce = map(json.get("produce"));
        assertThat(produce).containsKeys("records", "bytes", "seconds", "records_per_sec", "mb_per_sec",
                "send_failures", "first_send_failure", "latency_from", "latency_ms");
        assertThat(produce.get("latency_from")).isEqualTo("intended_send_time");
        Map<String, Object> latency = map(produce.get("latency_ms"));
        assertThat(latency).containsKeys("count", "mean", "p50", "p90", "p99", "p99_9", "p99_99", "max", "percentiles");
        assertThat(((Number) latency.get("p50")).doubleValue()).isPositive()
                .isLessThanOrEqualTo(((Number) latency.get("p99")).doubleValue());
        assertThat(((Number) latency.get("p99")).doubleValue())
                .isLessThanOrEqualTo(((Number) latency.get("max")).doubleValue());
        assertThat((List<?>) latency.get("percentiles")).isNotEmpty()
                .allSatisfy(p -> assertThat(map(p)).containsKeys("percentile", "value"));
        List<?> timeline = (List<?>) json.get("timeline");
        assertThat(timeline).as("a 3000-record run at 2000/s spans more than one second").hasSizeGreaterThan(1);
        assertThat(map(timeline.get(0))).containsKeys("second", "interval_seconds", "warmup", "produced_records",
                "produced_bytes", "produced_records_per_sec", "produce_p50_ms", "produce_p99_ms", "consumed_records",
                "consumed_bytes", "consumed_records_per_sec", "e2e_p50_ms", "e2e_p99_ms");
        long produced = 0;
        for (Object s : timeline) {
            produced += ((Number) map(s).get("produced_records")).longValue();
        }
        assertThat(produced).as("the timeline adds up to every record").isEqualTo(RECORDS);
    }

    @Test
    void givenTheHtmlReport_whenParsedAsXml_thenItHasAThroughputAndALatencyChartWithDataPoints() throws Exception {
        Element root = html.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("html");
        NodeList svgs = html.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < svgs.getLength(); i++) {
            ids.add(((Element) svgs.item(i)).getAttribute("id"));
        }
        assertThat(ids).containsExactly("throughput-chart", "latency-chart");
        for (int i = 0; i < svgs.getLength(); i++) {
            Element svg = (Element) svgs.item(i);
            NodeList lines = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
            assertThat(lines.getLength()).as("series in %s", svg.getAttribute("id")).isGreaterThanOrEqualTo(1);
            String points = ((Element) lines.item(0)).getAttribute("points").trim();
            assertThat(points.split(" ")).as("points of %s", svg.getAttribute("id")).hasSizeGreaterThan(1)
                    .allSatisfy(p -> assertThat(p).matches("-?[0-9.]+,-?[0-9.]+"));
        }
        String latencyTicks = (String) XPathFactory.newInstance().newXPath()
                .evaluate("string(//*[@id='latency-chart'])", html, XPathConstants.STRING);
        assertThat(latencyTicks).contains("90%", "99%", "99.9%");
    }

    @Test
    void givenTheHtmlReport_whenSearchedForExternalResources_thenThereAreNone() throws Exception {
        String text = Files.readString(dir.resolve("out/report.html"), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("<script", "<link", "src=", "@import", "url(");
        assertThat(html.getElementsByTagName("title").item(0).getTextContent()).contains("tidelog perf produce");
    }
}

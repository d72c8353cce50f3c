package io.tidelog.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The JSON and HTML reports of an e2e run with verify anomalies, rendered from a result built by hand. */
class ReportRenderingTest {

    private static PerfResult e2eResultWithAnomalies() {
        Workload w = Workload.from(Map.of("mode", "e2e", "rate", "1000", "warmup", "2s", "duration", "10s",
                "verify", "true", "description", "quotes \" and <tags> & ampersands"));
        Histogram micros = new Histogram(3);
        for (int i = 1; i <= 10_000; i++) {
            micros.recordValue(500 + i % 700);
        }
        micros.recordValue(250_000);
        LatencySummary latency = LatencySummary.of(micros);
        DeliveryChecker checker = new DeliveryChecker();
        for (int seq = 0; seq < 5; seq++) {
            checker.acknowledged(0, seq, 0, seq);
        }
        checker.consumed(0, 0, 0, 0);
        checker.consumed(0, 1, 0, 2);
        checker.consumed(0, 2, 0, 1);
        checker.consumed(0, 3, 0, 2);
        List<IntervalSample> timeline = List.of(
                new IntervalSample(1, 1, true, 900, 90_000, 0.7, 2.0, 880, 88_000, 0.9, 2.5),
                new IntervalSample(2, 1, true, 1000, 100_000, 0.6, 1.8, 1000, 100_000, 0.8, 2.2),
                new IntervalSample(3, 1, false, 1000, 100_000, 0.6, 1.9, 1010, 101_000, 0.8, 2.4),
                new IntervalSample(3.4, 0.4, false, 0, 0, Double.NaN, Double.NaN, 5, 500, 1.0, 1.0));
        return new PerfResult(w, "2026-11-22T06:00:00Z", 0xabcdefL, 3.4, new Throughput(10_001, 1_000_100, 8),
                latency, 2, "producer 0 sequence 7: timed out <after 120000 ms>", new Throughput(10_001, 1_000_100, 8.2),
                latency, List.of("a consumer did not reach the end offsets"), timeline, checker.result());
    }

    @Test
    void givenAnE2eRunWithAnomalies_whenWrittenAsJson_thenVerifyCountsAndNullForNaNAreThere() {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(JsonReport.toJson(e2eResultWithAnomalies()));

        assertThat(json.get("ok")).isEqualTo(Boolean.FALSE);
        assertThat(json.get("run_id")).isEqualTo("abcdef");
        Map<?, ?> verify = (Map<?, ?>) json.get("verify");
        assertThat(verify.get("lost")).isEqualTo(2.0);
        assertThat(verify.get("duplicated")).isEqualTo(1.0);
        assertThat(verify.get("reordered")).isEqualTo(1.0);
        assertThat(verify.get("clean")).isEqualTo(Boolean.FALSE);
        assertThat((List<?>) verify.get("partitions")).hasSize(1);
        Map<?, ?> consume = (Map<?, ?>) json.get("consume");
        assertThat(((Map<?, ?>) consume.get("e2e_latency_ms")).get("max")).isEqualTo(250.111);
        Map<?, ?> last = (Map<?, ?>) ((List<?>) json.get("timeline")).get(3);
        assertThat(last.get("produce_p50_ms")).isNull();
        assertThat(((Map<?, ?>) json.get("workload")).get("description")).isEqualTo("quotes \" and <tags> & ampersands");
        assertThat(json.get("consumer_failures")).isEqualTo(List.of("a consumer did not reach the end offsets"));
    }

    @Test
    void givenAnE2eRunWithAnomalies_whenWrittenAsHtml_thenItParsesAsXmlAndShowsBothFlowsAndTheVerifyTable() throws Exception {
        String html = HtmlReport.toHtml(e2eResultWithAnomalies());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));

        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(html).contains("<table id=\"verify\">");
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength())
                .as("produced and consumed throughput, ack and produce-to-consume latency").isEqualTo(4);
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength())
                .as("the warm-up band and one legend swatch per series").isEqualTo(1 + 4);
        assertThat(html).contains("timed out &lt;after 120000 ms&gt;", "quotes &quot; and &lt;tags&gt; &amp; ampersands",
                "FAILED", "lost: producer 0 sequence 3");
    }

    @Test
    void givenPercentiles_whenPlacedOnTheLogAxis_thenEachNineIsOneStep() {
        assertThat(SvgChart.percentileX(0)).isZero();
        assertThat(SvgChart.percentileX(90)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SvgChart.percentileX(99)).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SvgChart.percentileX(99.9)).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SvgChart.percentileX(100)).isEqualTo(SvgChart.MAX_PERCENTILE_DECADES);
        assertThat(List.of(0, 1, 2, 3, 4)).extracting(SvgChart::percentileLabel)
                .containsExactly("0%", "90%", "99%", "99.9%", "99.99%");
    }
}

package io.tidelog.perf.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class WorkloadTest {

    /** perf/workloads, found from the module directory surefire runs in. */
    private static final Path WORKLOADS = Path.of("workloads");

    static Stream<Path> committedWorkloads() throws Exception {
        return Files.list(WORKLOADS).filter(p -> p.toString().endsWith(".properties")).sorted();
    }

    @ParameterizedTest
    @MethodSource("committedWorkloads")
    void givenACommittedWorkloadFile_whenParsed_thenItIsValidAndBounded(Path file) {
        Workload w = Workload.from(Workload.readFile(file));

        assertThat(w.records()).isPositive();
        assertThat(w.duration()).isPositive();
        assertThat(w.warmup()).isLessThan(w.duration());
        assertThat(w.description()).isNotBlank();
    }

    @Test
    void givenTheOmbSixteenPartitionWorkload_whenParsed_thenItIsAFixedRateOneKibE2eRun() {
        Workload w = Workload.from(Workload.readFile(WORKLOADS.resolve("oms-1topic-16partitions-1kb.properties")));

        assertThat(w.mode()).isEqualTo(Mode.E2E);
        assertThat(w.partitions()).isEqualTo(16);
        assertThat(w.recordSize()).isEqualTo(1024);
        assertThat(w.fixedRate()).isTrue();
        assertThat(w.producerProperties()).containsEntry("acks", "all");
    }

    @Test
    void givenTheMaxRateWorkload_whenParsed_thenItIsUnthrottledHundredByteRecords() {
        Workload w = Workload.from(Workload.readFile(WORKLOADS.resolve("max-rate-100b.properties")));

        assertThat(w.fixedRate()).isFalse();
        assertThat(w.recordSize()).isEqualTo(100);
    }

    @Test
    void givenNoSettings_whenParsed_thenTheRunIsStillBoundedByRecordsAndDuration() {
        Workload w = Workload.from(Map.of());

        assertThat(w.records()).isEqualTo(1_000_000);
        assertThat(w.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(w.warmup()).isZero();
        assertThat(w.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void givenAnUnknownKey_whenParsed_thenTheErrorNamesIt() {
        assertThatThrownBy(() -> Workload.from(Map.of("partitons", "3")))
                .isInstanceOf(WorkloadException.class).hasMessageStartingWith("partitons=3: unknown workload key");
    }

    @Test
    void givenARecordSizeBelowThePayloadHeader_whenParsed_thenItIsRefused() {
        assertThatThrownBy(() -> Workload.from(Map.of("record.size", "10")))
                .isInstanceOf(WorkloadException.class).hasMessageContaining("record.size=10")
                .hasMessageContaining("between " + RecordPayload.HEADER_BYTES);
    }

    @Test
    void givenAWarmupAsLongAsTheRun_whenParsed_thenItIsRefused() {
        assertThatThrownBy(() -> Workload.from(Map.of("duration", "10s", "warmup", "10s")))
                .isInstanceOf(WorkloadException.class).hasMessageStartingWith("warmup=10s");
    }

    @Test
    void givenAWorkloadFileAndFlags_whenCombined_thenFlagsOverrideTheFileKeyByKey() {
        LoadOptions options = new LoadOptions();
        new CommandLine(options).parseArgs("--rate", "5", "-P", "acks=1", "--duration", "90s", "--verify");
        Map<String, String> settings = new LinkedHashMap<>(Workload.readFile(WORKLOADS.resolve("oms-1topic-16partitions-1kb.properties")));
        settings.putAll(options.overrides());

        Workload w = Workload.from(settings);

        assertThat(w.rate()).isEqualTo(5);
        assertThat(w.producerProperties()).containsEntry("acks", "1").containsEntry("linger.ms", "1");
        assertThat(w.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(w.verify()).isTrue();
        assertThat(w.partitions()).as("not given on the command line: the file's value").isEqualTo(16);
    }

    @Test
    void givenAWorkload_whenWrittenAsSettingsAndReadBack_thenItIsTheSameWorkload() {
        Workload w = Workload.from(Workload.readFile(WORKLOADS.resolve("oms-1topic-16partitions-1kb.properties")));

        assertThat(Workload.from(w.asSettings())).isEqualTo(w);
    }
}

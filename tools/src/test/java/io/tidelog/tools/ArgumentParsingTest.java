package io.tidelog.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tidelog.client.consumer.ConsumerRecord;
import io.tidelog.client.consumer.TimestampType;
import io.tidelog.protocol.record.Header;
import picocli.CommandLine.TypeConversionException;

/** The small languages of the command line: --format templates, durations and points in time. */
class ArgumentParsingTest {

    private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
        return new ConsumerRecord<>("orders", 2, 41, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                List.of(new Header("a", "1".getBytes(StandardCharsets.UTF_8)), new Header("b", null)), 0);
    }

    @Test
    void everyFormatFieldAndEscapeIsReplaced() {
        RecordFormat format = RecordFormat.parse("%t|%p|%o|%T|%k|%v|%h|%%|\\t|\\n|\\\\");

        assertThat(format.format(record("k", "v")))
                .isEqualTo("orders|2|41|1700000000000|k|v|a=1,b=null|%|\t|\n|\\");
    }

    @Test
    void aMissingKeyOrValuePrintsAsNull() {
        assertThat(RecordFormat.parse("%k=%v").format(record(null, null))).isEqualTo("null=null");
    }

    @Test
    void anUnknownFieldOrALonePercentIsRefusedNamingIt() {
        assertThatThrownBy(() -> RecordFormat.parse("%v %q")).hasMessageContaining("'%q'");
        assertThatThrownBy(() -> RecordFormat.parse("100%")).hasMessageContaining("lone '%'");
    }

    @Test
    void durationsTakeUnitsPlainSecondsAndIso() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(converter.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> converter.convert("0s")).hasMessageContaining("positive");
    }

    @Test
    void timestampsTakeEpochMillisAndIsoWithOrWithoutZone() {
        ZoneId utc = ZoneId.of("UTC");

        assertThat(Timestamps.parse("1700000000000", utc)).isEqualTo(1_700_000_000_000L);
        assertThat(Timestamps.parse("2023-11-14T22:13:20Z", utc)).isEqualTo(1_700_000_000_000L);
        assertThat(Timestamps.parse("2023-11-14T23:13:20+01:00", utc)).isEqualTo(1_700_000_000_000L);
        assertThat(Timestamps.parse("2023-11-14T22:13:20", utc)).isEqualTo(1_700_000_000_000L);
        assertThat(Timestamps.parse("2023-11-14", utc)).isEqualTo(1_699_920_000_000L);
        assertThatThrownBy(() -> Timestamps.parse("yesterday", utc)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'yesterday'");
    }
}

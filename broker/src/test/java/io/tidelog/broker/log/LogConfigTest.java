package io.tidelog.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogConfigTest {

    @Test
    void givenNothing_whenTakingDefaults_thenTheyAreKafkas() {
        LogConfig config = LogConfig.defaults();
        assertThat(config.segmentBytes()).isEqualTo(1 << 30);
        assertThat(config.segmentMs()).isEqualTo(604_800_000L);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
        assertThat(config.segmentIndexBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.maxMessageBytes()).isEqualTo(1048588);
        assertThat(config.retentionMs()).isEqualTo(604_800_000L);
        assertThat(config.retentionBytes()).isEqualTo(-1L);
        assertThat(config.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.fileDeleteDelayMs()).isEqualTo(60_000L);
        assertThat(config.backend()).isEqualTo(SegmentBackend.DEFAULT);
    }

    @Test
    void givenABadValue_whenBuilding_thenTheErrorNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> LogConfig.builder().segmentBytes(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment.bytes").hasMessageContaining("10");
        assertThatThrownBy(() -> LogConfig.builder().retentionMs(-2).build()).hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> LogConfig.builder().flushMessages(0).build()).hasMessageContaining("flush.messages");
        assertThatThrownBy(() -> LogConfig.builder().segmentIndexBytes(8).build()).hasMessageContaining("segment.index.bytes");
        assertThatThrownBy(() -> LogConfig.builder().backend(null).build()).hasMessageContaining("log.segment.backend");
    }

    @Test
    void givenAConfig_whenChangingOneField_thenTheOthersStay() {
        LogConfig config = LogConfig.defaults().withRetentionBytes(5000).withSegmentBytes(4096);
        assertThat(config.retentionBytes()).isEqualTo(5000);
        assertThat(config.segmentBytes()).isEqualTo(4096);
        assertThat(config.maxMessageBytes()).isEqualTo(LogConfig.DEFAULT_MAX_MESSAGE_BYTES);
    }
}

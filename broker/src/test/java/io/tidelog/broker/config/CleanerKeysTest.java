package io.tidelog.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.broker.log.CleanerConfig;
import io.tidelog.broker.log.LogConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log cleaner's broker keys and the compaction topic keys reach the storage layer, and bad values name their key. */
class CleanerKeysTest {

    @Test
    void givenNoCleanerKeys_whenParsed_thenKafkasDefaultsApplyExceptTheSmallerDedupeBuffer() {
        BrokerConfig broker = BrokerConfig.from(Map.of());

        assertThat(broker.cleanerConfig()).isEqualTo(new CleanerConfig(true, 1, 15_000, 16L * 1024 * 1024));
        LogConfig log = broker.defaultLogConfig();
        assertThat(log.compact()).isFalse();
        assertThat(log.delete()).isTrue();
        assertThat(log.deleteRetentionMs()).isEqualTo(86_400_000L);
        assertThat(log.minCompactionLagMs()).isZero();
        assertThat(log.minCleanableDirtyRatio()).isEqualTo(0.5);
    }

    @Test
    void givenCleanerKeys_whenParsed_thenTheCleanerAndTheTopicDefaultsFollowThem() {
        BrokerConfig broker = BrokerConfig.from(Map.of("log.cleaner.enable", "false", "log.cleaner.threads", "2",
                "log.cleaner.backoff.ms", "100", "log.cleaner.dedupe.buffer.size", "1048576",
                "log.cleaner.min.cleanable.ratio", "0.2", "log.cleaner.delete.retention.ms", "5000",
                "log.cleaner.min.compaction.lag.ms", "7", "log.cleanup.policy", "compact"));

        assertThat(broker.cleanerConfig()).isEqualTo(new CleanerConfig(false, 2, 100, 1_048_576));
        LogConfig log = broker.defaultLogConfig();
        assertThat(log.compact()).isTrue();
        assertThat(log.delete()).isFalse();
        assertThat(log.minCleanableDirtyRatio()).isEqualTo(0.2);
        assertThat(log.deleteRetentionMs()).isEqualTo(5_000);
        assertThat(log.minCompactionLagMs()).isEqualTo(7);
    }

    @Test
    void givenTopicOverrides_whenTheLogConfigIsMade_thenCompactDeleteAndTheCompactionKeysApply() {
        BrokerConfig broker = BrokerConfig.from(Map.of());
        LogConfig log = TopicConfig.of(broker, Map.of("cleanup.policy", "delete,compact", "delete.retention.ms", "10",
                "min.compaction.lag.ms", "20", "min.cleanable.dirty.ratio", "0.75")).toLogConfig();

        assertThat(log.compact()).isTrue();
        assertThat(log.delete()).isTrue();
        assertThat(log.deleteRetentionMs()).isEqualTo(10);
        assertThat(log.minCompactionLagMs()).isEqualTo(20);
        assertThat(log.minCleanableDirtyRatio()).isEqualTo(0.75);
    }

    @Test
    void givenBadValues_whenParsed_thenTheErrorNamesTheKey() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("log.cleaner.min.cleanable.ratio", "1.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("log.cleaner.min.cleanable.ratio");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("log.cleaner.threads", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("log.cleaner.threads");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("log.cleaner.threads", "64",
                "log.cleaner.dedupe.buffer.size", "65536")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("log.cleaner.dedupe.buffer.size");
        assertThatThrownBy(() -> TopicConfig.validate(Map.of("min.cleanable.dirty.ratio", "two")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("min.cleanable.dirty.ratio");
        assertThatThrownBy(() -> TopicConfig.validate(Map.of("delete.retention.ms", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delete.retention.ms");
    }
}

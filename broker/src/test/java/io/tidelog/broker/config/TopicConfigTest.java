package io.tidelog.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.tidelog.broker.log.LogConfig;
import io.tidelog.broker.log.SegmentBackend;

import org.junit.jupiter.api.Test;

class TopicConfigTest {

    private final BrokerConfig broker = BrokerConfig.from(Map.of("log.retention.hours", "1", "log.segment.bytes", "65536"));

    @Test
    void withoutOverridesATopicTakesTheBrokersLogDefaults() {
        TopicConfig topic = TopicConfig.defaults(broker);

        assertThat(topic.retentionMs()).isEqualTo(3_600_000L);
        assertThat(topic.segmentBytes()).isEqualTo(65536);
        assertThat(topic.retentionBytes()).isEqualTo(-1L);
        assertThat(topic.maxMessageBytes()).isEqualTo(1048588);
        assertThat(topic.cleanupPolicy()).isEqualTo("delete");
        assertThat(topic.segmentMs()).isEqualTo(168L * 3_600_000L);
        assertThat(topic.segmentIndexBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(topic.indexIntervalBytes()).isEqualTo(4096);
        assertThat(topic.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(topic.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(topic.fileDeleteDelayMs()).isEqualTo(60_000L);
        assertThat(topic.minInsyncReplicas()).isEqualTo(1);
        assertThat(topic.messageTimestampType()).isEqualTo("CreateTime");
        assertThat(topic.uncleanLeaderElectionEnable()).isFalse();
        assertThat(topic.overrides()).isEmpty();
    }

    @Test
    void topicOverridesWinOverBrokerDefaults() {
        TopicConfig topic = TopicConfig.of(broker, Map.of("retention.ms", "1000", "segment.bytes", "2048",
                "cleanup.policy", "delete,compact", "min.insync.replicas", "2", "message.timestamp.type", "LogAppendTime"));

        assertThat(topic.retentionMs()).isEqualTo(1000L);
        assertThat(topic.segmentBytes()).isEqualTo(2048);
        assertThat(topic.cleanupPolicy()).isEqualTo("compact,delete");
        assertThat(topic.deletesByRetention()).isTrue();
        assertThat(topic.minInsyncReplicas()).isEqualTo(2);
        assertThat(topic.messageTimestampType()).isEqualTo("LogAppendTime");
        assertThat(topic.overrides()).containsEntry("cleanup.policy", "compact,delete").hasSize(5);
    }

    @Test
    void anUnknownTopicKeyIsRejectedNamingItAndTheClosestKey() {
        assertThatThrownBy(() -> TopicConfig.validate(Map.of("retention.msec", "5")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Unknown topic configuration key 'retention.msec' (did you mean 'retention.ms'?)");
    }

    @Test
    void aBadTopicValueIsRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> TopicConfig.validate(Map.of("retention.ms", "soon")))
                .hasMessage("Invalid value 'soon' for configuration key 'retention.ms': must be a whole number");
        assertThatThrownBy(() -> TopicConfig.validate(Map.of("cleanup.policy", "forever")))
                .hasMessageContaining("'cleanup.policy'").hasMessageContaining("delete, compact or compact,delete");
        assertThatThrownBy(() -> TopicConfig.validate(Map.of("cleanup.policy", "delete,delete")))
                .hasMessageContaining("'cleanup.policy'");
        assertThatThrownBy(() -> TopicConfig.validate(Map.of("segment.bytes", "10")))
                .hasMessageContaining("'segment.bytes'").hasMessageContaining("at least 1024");
        assertThatThrownBy(() -> TopicConfig.validate(Map.of("min.insync.replicas", "0")))
                .hasMessageContaining("'min.insync.replicas'");
    }

    @Test
    void entriesTellDescribeConfigsWhereEachValueCameFrom() {
        TopicConfig topic = TopicConfig.of(broker, Map.of("retention.bytes", "1000"));

        assertThat(topic.entries()).contains(
                new ConfigEntry("retention.bytes", "1000", ConfigSource.DYNAMIC_TOPIC_CONFIG),
                new ConfigEntry("retention.ms", "3600000", ConfigSource.STATIC_BROKER_CONFIG),
                new ConfigEntry("segment.bytes", "65536", ConfigSource.STATIC_BROKER_CONFIG),
                new ConfigEntry("max.message.bytes", "1048588", ConfigSource.DEFAULT_CONFIG));
        assertThat(topic.entries()).extracting(ConfigEntry::name)
                .containsExactlyElementsOf(TopicConfig.keysWithDocs().keySet());
    }

    @Test
    void withAppliesChangesOverExistingOverrides() {
        TopicConfig topic = TopicConfig.of(broker, Map.of("retention.ms", "1000", "retention.bytes", "5"))
                .with(broker, Map.of("retention.ms", "2000"));

        assertThat(topic.retentionMs()).isEqualTo(2000L);
        assertThat(topic.retentionBytes()).isEqualTo(5L);
    }

    @Test
    void everyTopicKeyNamesTheBrokerKeyItsDefaultComesFrom() {
        for (String key : TopicConfig.keysWithDocs().keySet()) {
            assertThat(BrokerKeys.ALL).containsKey(TopicConfig.brokerDefaultKey(key));
        }
        assertThat(TopicConfig.brokerDefaultKey("segment.index.bytes")).isEqualTo("log.index.size.max.bytes");
    }

    @Test
    void theLogConfigOfATopicCarriesItsEffectiveValuesAndTheBrokersBackend() {
        BrokerConfig chronicle = BrokerConfig.from(Map.of("log.segment.backend", "chronicle", "log.flush.interval.messages", "10"));
        LogConfig log = TopicConfig.of(chronicle, Map.of("segment.bytes", "4096", "retention.bytes", "100000",
                "retention.ms", "-1", "segment.ms", "60000", "segment.index.bytes", "1200", "index.interval.bytes", "100",
                "max.message.bytes", "2000", "flush.ms", "5", "file.delete.delay.ms", "0")).toLogConfig();

        assertThat(log).isEqualTo(new LogConfig(4096, 60000L, 100, 1200, 2000, -1L, 100000L, 10L, 5L, 0L,
                SegmentBackend.CHRONICLE));
    }

    @Test
    void theBrokersDefaultLogConfigIsKafkasDefaultsOnTheDefaultBackend() {
        assertThat(BrokerConfig.defaults().defaultLogConfig()).isEqualTo(LogConfig.defaults());
    }
}

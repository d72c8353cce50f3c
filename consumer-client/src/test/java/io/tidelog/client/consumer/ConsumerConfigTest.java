package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings: Kafka's names and defaults; every mistake names the key. */
class ConsumerConfigTest {

    private static Map<String, Object> base() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", "127.0.0.1:9092");
        return settings;
    }

    private static ConsumerConfig with(String key, Object value) {
        Map<String, Object> settings = base();
        settings.put(key, value);
        return ConsumerConfig.from(settings);
    }

    @Test
    void givenNoSettingsButBootstrapWhenParsedThenKafkasDefaultsApply() {
        ConsumerConfig config = ConsumerConfig.from(base());
        assertThat(config.groupId()).isNull();
        assertThat(config.autoCommit()).isFalse();
        assertThat(config.autoOffsetReset()).isEqualTo(ConsumerConfig.OffsetResetStrategy.LATEST);
        assertThat(config.maxPollRecords()).isEqualTo(500);
        assertThat(config.maxPollIntervalMs()).isEqualTo(300_000);
        assertThat(config.sessionTimeoutMs()).isEqualTo(45_000);
        assertThat(config.heartbeatIntervalMs()).isEqualTo(3000);
        assertThat(config.fetchMaxWaitMs()).isEqualTo(500);
        assertThat(config.maxPartitionFetchBytes()).isEqualTo(1_048_576);
        assertThat(config.assignors()).containsExactly("range");
        assertThat(config.checkCrcs()).isTrue();
        assertThat(with("group.id", "g").autoCommit()).isTrue();
    }

    @Test
    void givenAnUnknownKeyWhenParsedThenTheErrorNamesIt() {
        assertThatThrownBy(() -> with("fetch.max.wait", "5")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fetch.max.wait").hasMessageContaining("unknown")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("fetch.max.wait");
    }

    @Test
    void givenMalformedValuesWhenParsedThenEachErrorNamesTheKeyAndValue() {
        assertThatThrownBy(() -> with("max.poll.records", "many")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.poll.records=many");
        assertThatThrownBy(() -> with("max.poll.records", 0)).hasMessageContaining("max.poll.records");
        assertThatThrownBy(() -> with("auto.offset.reset", "smallest")).hasMessageContaining("auto.offset.reset")
                .hasMessageContaining("earliest, latest, none");
        assertThatThrownBy(() -> with("check.crcs", "yes")).hasMessageContaining("check.crcs");
        assertThatThrownBy(() -> with("bootstrap.servers", "localhost")).hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> ConsumerConfig.from(Map.of())).hasMessageContaining("bootstrap.servers");
    }

    @Test
    void givenContradictionsWhenParsedThenTheErrorSaysWhatToChange() {
        Map<String, Object> settings = base();
        settings.put("heartbeat.interval.ms", 10_000);
        settings.put("session.timeout.ms", 6000);
        assertThatThrownBy(() -> ConsumerConfig.from(settings)).hasMessageContaining("heartbeat.interval.ms")
                .hasMessageContaining("session.timeout.ms");
        assertThatThrownBy(() -> with("enable.auto.commit", true)).hasMessageContaining("enable.auto.commit")
                .hasMessageContaining("group.id");
        assertThatThrownBy(() -> with("group.instance.id", "i1")).hasMessageContaining("group.instance.id");
    }

    @Test
    void givenFeaturesThisConsumerLacksWhenRequestedThenTheyAreRefusedClearly() {
        assertThatThrownBy(() -> with("isolation.level", "read_committed")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("read_committed").hasMessageContaining("read_uncommitted");
        assertThatThrownBy(() -> with("partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"))
                .hasMessageContaining("partition.assignment.strategy").hasMessageContaining("cooperative-sticky");
        assertThatThrownBy(() -> with("group.protocol", "consumer")).hasMessageContaining("classic");
        assertThatThrownBy(() -> with("security.protocol", "SSL")).hasMessageContaining("PLAINTEXT");
    }

    @Test
    void givenKafkaAssignorClassNamesOrAListWhenParsedThenTheyMapToProtocolNamesInOrder() {
        assertThat(with("partition.assignment.strategy", List.of(
                org.apache.kafka.clients.consumer.RoundRobinAssignor.class,
                "org.apache.kafka.clients.consumer.RangeAssignor")).assignors())
                .containsExactly("roundrobin", "range");
        assertThat(with("partition.assignment.strategy", "range, roundrobin").assignors())
                .containsExactly("range", "roundrobin");
    }

    @Test
    void givenNoDeserializerWhenTheConsumerIsCreatedThenTheErrorNamesTheMissingKey() {
        assertThatThrownBy(() -> new TidelogConsumer<String, String>(base())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.deserializer");
        Map<String, Object> settings = base();
        settings.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        settings.put("value.deserializer", "com.example.Missing");
        assertThatThrownBy(() -> new TidelogConsumer<String, String>(settings))
                .hasMessageContaining("value.deserializer").hasMessageContaining("com.example.Missing");
    }
}

package io.tidelog.client.producer;

import io.tidelog.protocol.record.CompressionType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {

    private static Map<String, Object> base() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", "127.0.0.1:9092");
        return settings;
    }

    private static ProducerConfig with(String key, Object value) {
        Map<String, Object> settings = base();
        settings.put(key, value);
        return ProducerConfig.from(settings);
    }

    @Test
    void givenOnlyBootstrapServers_whenParsed_thenKafka4DefaultsApply() {
        ProducerConfig config = ProducerConfig.from(base());
        assertThat(config.acks()).isEqualTo((short) -1);
        assertThat(config.batchSize()).isEqualTo(16384);
        assertThat(config.lingerMs()).isEqualTo(5);
        assertThat(config.bufferMemory()).isEqualTo(32L * 1024 * 1024);
        assertThat(config.maxBlockMs()).isEqualTo(60_000);
        assertThat(config.deliveryTimeoutMs()).isEqualTo(120_000);
        assertThat(config.requestTimeoutMs()).isEqualTo(30_000);
        assertThat(config.retries()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.retryBackoffMs()).isEqualTo(100);
        assertThat(config.idempotent()).isTrue();
        assertThat(config.maxInFlight()).isEqualTo(5);
        assertThat(config.compression()).isEqualTo(CompressionType.NONE);
        assertThat(config.maxRequestSize()).isEqualTo(1024 * 1024);
    }

    @Test
    void givenAnUnknownKey_whenParsed_thenTheErrorNamesTheKey() {
        assertThatThrownBy(() -> with("linger.msec", "5"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("linger.msec")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("linger.msec"));
    }

    @Test
    void givenMalformedValues_whenParsed_thenTheErrorNamesKeyAndValue() {
        assertThatThrownBy(() -> with("batch.size", "big")).hasMessageContaining("batch.size=big");
        assertThatThrownBy(() -> with("acks", "2")).hasMessageContaining("acks=2");
        assertThatThrownBy(() -> with("compression.type", "brotli")).hasMessageContaining("compression.type=brotli");
        assertThatThrownBy(() -> with("enable.idempotence", "yes")).hasMessageContaining("enable.idempotence=yes");
        assertThatThrownBy(() -> with("linger.ms", -1)).hasMessageContaining("linger.ms=-1");
        assertThatThrownBy(() -> with("bootstrap.servers", "localhost")).hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> with("bootstrap.servers", "h:99999")).hasMessageContaining("65535");
    }

    @Test
    void givenSeveralBootstrapAddresses_whenParsed_thenAllAreKeptInOrder() {
        ProducerConfig config = with("bootstrap.servers", "a:1, b:2,[::1]:3");
        assertThat(config.bootstrapServers()).extracting(a -> a.getHostString() + ":" + a.getPort())
                .containsExactly("a:1", "b:2", "::1:3");
    }

    @Test
    void givenAcksOneWithoutExplicitIdempotence_whenParsed_thenIdempotenceIsSwitchedOff() {
        assertThat(with("acks", "1").idempotent()).isFalse();
        assertThat(with("max.in.flight.requests.per.connection", 6).idempotent()).isFalse();
    }

    @Test
    void givenExplicitIdempotenceWithAcksOne_whenParsed_thenItIsRejectedNamingTheConflict() {
        Map<String, Object> settings = base();
        settings.put("acks", "1");
        settings.put("enable.idempotence", true);
        assertThatThrownBy(() -> ProducerConfig.from(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("enable.idempotence")
                .hasMessageContaining("acks must be all");
    }

    @Test
    void givenADeliveryTimeoutShorterThanLingerPlusRequestTimeout_whenParsed_thenItIsRejected() {
        Map<String, Object> settings = base();
        settings.put("delivery.timeout.ms", 1000);
        settings.put("request.timeout.ms", 2000);
        assertThatThrownBy(() -> ProducerConfig.from(settings)).hasMessageContaining("delivery.timeout.ms");
    }

    @Test
    void givenPropertiesAndKafkaSerializerClassNames_whenAProducerIsBuilt_thenItUsesTheMatchingSerializers() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:1");
        props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        props.put("value.serializer", "org.apache.kafka.common.serialization.LongSerializer");
        ProducerConfig config = ProducerConfig.from(props);
        assertThat(Serializers.forClassName("key.serializer", config.keySerializerClass())
                .getClass()).isNotNull();
        @SuppressWarnings("unchecked")
        Serializer<Long> longs = (Serializer<Long>) Serializers.forClassName("value.serializer",
                config.valueSerializerClass());
        assertThat(longs.serialize("t", 258L)).containsExactly(0, 0, 0, 0, 0, 0, 1, 2);
        assertThatThrownBy(() -> Serializers.forClassName("key.serializer", "no.such.Serializer"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key.serializer=no.such.Serializer");
    }
}

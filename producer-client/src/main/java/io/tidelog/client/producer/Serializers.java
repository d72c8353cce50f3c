package io.tidelog.client.producer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The standard serializers: UTF-8 strings, raw byte arrays, the remaining bytes of a ByteBuffer,
 * and big-endian longs and ints; byte-identical to Kafka's (so keys hash to the same partitions),
 * except that a ByteBuffer is always read from position to limit. Each maps null to null.
 */
public final class Serializers {

    private static final Map<String, Supplier<Serializer<?>>> BY_KAFKA_CLASS_NAME = Map.of(
            "org.apache.kafka.common.serialization.StringSerializer", Serializers::string,
            "org.apache.kafka.common.serialization.ByteArraySerializer", Serializers::byteArray,
            "org.apache.kafka.common.serialization.ByteBufferSerializer", Serializers::byteBuffer,
            "org.apache.kafka.common.serialization.LongSerializer", Serializers::longs,
            "org.apache.kafka.common.serialization.IntegerSerializer", Serializers::integers);

    private Serializers() {
    }

    public static Serializer<String> string() {
        return (topic, data) -> data == null ? null : data.getBytes(StandardCharsets.UTF_8);
    }

    public static Serializer<byte[]> byteArray() {
        return (topic, data) -> data;
    }

    /** The bytes between position and limit; the buffer itself is not moved. */
    public static Serializer<ByteBuffer> byteBuffer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return bytes;
        };
    }

    public static Serializer<Long> longs() {
        return (topic, data) -> data == null ? null : ByteBuffer.allocate(Long.BYTES).putLong(data).array();
    }

    public static Serializer<Integer> integers() {
        return (topic, data) -> data == null ? null : ByteBuffer.allocate(Integer.BYTES).putInt(data).array();
    }

    /**
     * The serializer a {@code key.serializer}/{@code value.serializer} setting names: one of
     * Kafka's standard class names (mapped to ours), or the name of a class of ours or the
     * application's implementing {@link Serializer} with a public no-argument constructor.
     */
    static Serializer<?> forClassName(String key, String className) {
        Supplier<Serializer<?>> standard = BY_KAFKA_CLASS_NAME.get(className);
        if (standard != null) {
            return standard.get();
        }
        try {
            Class<?> type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            if (!Serializer.class.isAssignableFrom(type)) {
                throw new ConfigException(key, className, "the class does not implement "
                        + Serializer.class.getName());
            }
            return (Serializer<?>) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(key, className, "cannot instantiate it (" + e + "); pass a "
                    + "Serializer instance to the TidelogProducer constructor instead");
        }
    }
}

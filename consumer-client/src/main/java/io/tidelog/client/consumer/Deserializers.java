package io.tidelog.client.consumer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The standard deserializers, reading what Kafka's standard serializers (and ours) write:
 * UTF-8 strings, raw bytes, ByteBuffers, big-endian longs, ints, shorts and doubles. Each maps
 * null to null; a fixed-size type given the wrong number of bytes fails naming the size.
 */
public final class Deserializers {

    private static final Map<String, Supplier<Deserializer<?>>> BY_KAFKA_CLASS_NAME = Map.of(
            "org.apache.kafka.common.serialization.StringDeserializer", Deserializers::string,
            "org.apache.kafka.common.serialization.ByteArrayDeserializer", Deserializers::byteArray,
            "org.apache.kafka.common.serialization.ByteBufferDeserializer", Deserializers::byteBuffer,
            "org.apache.kafka.common.serialization.LongDeserializer", Deserializers::longs,
            "org.apache.kafka.common.serialization.IntegerDeserializer", Deserializers::integers,
            "org.apache.kafka.common.serialization.ShortDeserializer", Deserializers::shorts,
            "org.apache.kafka.common.serialization.DoubleDeserializer", Deserializers::doubles);

    private Deserializers() {
    }

    public static Deserializer<String> string() {
        return (topic, data) -> data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    public static Deserializer<byte[]> byteArray() {
        return (topic, data) -> data;
    }

    public static Deserializer<ByteBuffer> byteBuffer() {
        return (topic, data) -> data == null ? null : ByteBuffer.wrap(data);
    }

    public static Deserializer<Long> longs() {
        return (topic, data) -> data == null ? null : fixed(data, Long.BYTES, "Long").getLong();
    }

    public static Deserializer<Integer> integers() {
        return (topic, data) -> data == null ? null : fixed(data, Integer.BYTES, "Integer").getInt();
    }

    public static Deserializer<Short> shorts() {
        return (topic, data) -> data == null ? null : fixed(data, Short.BYTES, "Short").getShort();
    }

    public static Deserializer<Double> doubles() {
        return (topic, data) -> data == null ? null : fixed(data, Double.BYTES, "Double").getDouble();
    }

    private static ByteBuffer fixed(byte[] data, int size, String type) {
        if (data.length != size) {
            throw new IllegalArgumentException("a " + type + " needs exactly " + size + " bytes, got " + data.length);
        }
        return ByteBuffer.wrap(data);
    }

    /**
     * The deserializer a {@code key.deserializer}/{@code value.deserializer} setting names: one
     * of Kafka's standard class names (mapped to ours), one of ours by its short name
     * ({@code string}, {@code bytes}, {@code bytebuffer}, {@code long}, {@code integer},
     * {@code short}, {@code double}), or a class implementing {@link Deserializer} with a public
     * no-argument constructor.
     */
    static Deserializer<?> forClassName(String key, String className) {
        Supplier<Deserializer<?>> standard = BY_KAFKA_CLASS_NAME.get(className);
        if (standard != null) {
            return standard.get();
        }
        switch (className.toLowerCase(java.util.Locale.ROOT)) {
            case "string": return string();
            case "bytes": case "bytearray": return byteArray();
            case "bytebuffer": return byteBuffer();
            case "long": return longs();
            case "integer": case "int": return integers();
            case "short": return shorts();
            case "double": return doubles();
            default: break;
        }
        try {
            Class<?> type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            if (!Deserializer.class.isAssignableFrom(type)) {
                throw new ConfigException(key, className, "the class does not implement "
                        + Deserializer.class.getName() + "; use a Kafka standard deserializer name or ours");
            }
            return (Deserializer<?>) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(key, className, "cannot instantiate it (" + e + "); pass a "
                    + "Deserializer instance to the TidelogConsumer constructor instead");
        }
    }
}

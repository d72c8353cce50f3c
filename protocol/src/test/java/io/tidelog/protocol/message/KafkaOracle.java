package io.tidelog.protocol.message;

import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Readable;

import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;

/**
 * kafka-clients' own message classes by our message name: {@code org.apache.kafka.common.message.<Name>Data}
 * for request and response bodies, {@code <Name>} for data structs such as ConsumerProtocolSubscription.
 */
public final class KafkaOracle {

    private KafkaOracle() {
    }

    public static Class<?> kafkaClass(String messageName) {
        String name = "org.apache.kafka.common.message." + messageName;
        try {
            return Class.forName(name + "Data");
        } catch (ClassNotFoundException notBody) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("kafka-clients has neither " + name + "Data nor " + name, e);
            }
        }
    }

    public static short lowestVersion(String messageName) {
        return staticShort(messageName, "LOWEST_SUPPORTED_VERSION");
    }

    public static short highestVersion(String messageName) {
        return staticShort(messageName, "HIGHEST_SUPPORTED_VERSION");
    }

    /** Kafka's parse of {@code bytes} (which must be consumed exactly). */
    public static org.apache.kafka.common.protocol.ApiMessage parse(String messageName, ByteBuffer bytes, short version) {
        ByteBuffer buffer = bytes.duplicate();
        try {
            Object message = kafkaClass(messageName).getConstructor(Readable.class, short.class)
                    .newInstance(new ByteBufferAccessor(buffer), version);
            if (buffer.hasRemaining()) {
                throw new AssertionError("Kafka left " + buffer.remaining() + " bytes unread");
            }
            return (org.apache.kafka.common.protocol.ApiMessage) message;
        } catch (InvocationTargetException e) {
            throw new AssertionError("Kafka could not parse our " + messageName + " v" + version + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kafka's encoding of {@code message} at {@code version}. */
    public static ByteBuffer write(org.apache.kafka.common.protocol.ApiMessage message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        return buffer.flip();
    }

    private static short staticShort(String messageName, String field) {
        try {
            return kafkaClass(messageName).getField(field).getShort(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

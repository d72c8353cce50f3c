package io.tidelog.protocol.message;

import io.tidelog.protocol.generator.MessageSchema;
import io.tidelog.protocol.generator.MessageSchema.Field;
import io.tidelog.protocol.generator.MessageSchema.Message;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.types.MessageSize;
import io.tidelog.protocol.types.ProtocolWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Test support driven by the schema: random messages with every field the version has (nulls,
 * empties, multi-byte strings and tagged fields included), body encoding, and the seed.
 */
public final class MessageFixtures {

    private static final String PACKAGE = "io.tidelog.protocol.message.";
    private static final String[] WORDS = {"", "a", "orders", "topic-\u00e9\u00e8", "\u65e5\u672c", "emoji-\ud83d\ude00", "x.y_z"};

    private MessageFixtures() {
    }

    public static MessageSchema schema() {
        try {
            return MessageSchema.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seed for randomised tests: {@code -Dtidelog.seed=N}, else a fresh one. */
    public static long seed() {
        String property = System.getProperty("tidelog.seed");
        return property != null ? Long.parseLong(property) : new Random().nextLong();
    }

    public static Class<?> messageClass(Message message) {
        return load(PACKAGE + message.name());
    }

    public static Class<?> structClass(Class<?> outer, Field field) {
        return load(outer.getName() + "$" + field.structName());
    }

    public static ProtocolMessage randomMessage(Message message, short version, Random random) {
        return (ProtocolMessage) populate(messageClass(message), message.fields(), version, random);
    }

    /** As {@link #randomMessage}, for a request or response body. */
    public static ApiMessage randomApiMessage(Message message, short version, Random random) {
        if (!message.isApi()) {
            throw new IllegalArgumentException(message.name() + " is not a request or response");
        }
        return (ApiMessage) randomMessage(message, version, random);
    }

    /**
     * Every version we decode of {@code message}: its ApiKey's decodable range, or a data struct's
     * declared range. The oracle tests cover each; {@code OracleCoverageTest} checks Kafka's class
     * supports them all, so none is skipped silently.
     */
    public static List<Short> versions(Message message) {
        List<Short> versions = new ArrayList<>();
        for (int v = message.versions().low(); v <= message.versions().high(); v++) {
            versions.add((short) v);
        }
        return versions;
    }

    public static Object populate(Class<?> type, List<Field> fields, short version, Random random) {
        Object instance = newInstance(type);
        for (Field field : fields) {
            if (field.versions().contains(version) && (!field.tagged() || version >= 0)) {
                set(instance, field, randomValue(type, field, version, random));
            }
        }
        return instance;
    }

    public static void set(Object instance, Field field, Object value) {
        try {
            setter(instance.getClass(), field).invoke(instance, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Object get(Object instance, Field field) {
        try {
            return instance.getClass().getMethod(field.name()).invoke(instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method setter(Class<?> type, Field field) {
        for (Method method : type.getMethods()) {
            if (method.getName().equals("set" + field.capitalized()) && method.getParameterCount() == 1) {
                return method;
            }
        }
        throw new IllegalStateException(type + " has no setter for " + field.name());
    }

    public static Object randomValue(Class<?> owner, Field field, short version, Random random) {
        boolean nullable = field.nullableVersions().contains(version);
        if (nullable && random.nextInt(5) == 0) {
            return null;
        }
        if (field.array()) {
            int count = random.nextInt(4);
            List<Object> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                list.add(randomElement(owner, field, version, random));
            }
            return list;
        }
        return randomElement(owner, field, version, random);
    }

    private static Object randomElement(Class<?> owner, Field field, short version, Random random) {
        switch (field.kind()) {
            case INT8:
                return (byte) random.nextInt();
            case INT16:
                return (short) random.nextInt();
            case INT32:
                return random.nextBoolean() ? random.nextInt() : random.nextInt(5) - 1;
            case INT64:
                return random.nextBoolean() ? random.nextLong() : (long) (random.nextInt(5) - 1);
            case UINT16:
                return random.nextInt(0x10000);
            case FLOAT64:
                return random.nextDouble();
            case BOOL:
                return random.nextBoolean();
            case STRING:
                return WORDS[random.nextInt(WORDS.length)] + (random.nextBoolean() ? "" : Integer.toString(random.nextInt(1000)));
            case BYTES: {
                byte[] bytes = new byte[random.nextInt(20)];
                random.nextBytes(bytes);
                return bytes;
            }
            case UUID:
                return new UUID(random.nextLong(), random.nextLong());
            case RECORDS: {
                byte[] bytes = new byte[random.nextInt(100)];
                random.nextBytes(bytes);
                return MemoryRecords.wrap(bytes);
            }
            case STRUCT:
                return populate(structClass(owner, field), field.fields(), version, random);
            default:
                throw new IllegalArgumentException(field.kind().name());
        }
    }

    /** Our encoding of a body, as one buffer (records copied in). */
    public static ByteBuffer encode(ProtocolMessage message, short version) {
        MessageSize size = new MessageSize();
        message.addSize(size, version);
        ProtocolWriter writer = new ProtocolWriter(ByteBuffer.allocate(size.totalSize() - size.recordsSize()));
        message.write(writer, version);
        ByteBuffer bytes = writer.finish(size.totalSize()).toByteBuffer();
        if (bytes.remaining() != message.size(version)) {
            throw new AssertionError("size() disagrees with the bytes written");
        }
        return bytes;
    }

    private static Object newInstance(Class<?> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}

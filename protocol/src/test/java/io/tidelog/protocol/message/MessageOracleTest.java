package io.tidelog.protocol.message;

import io.tidelog.protocol.UnsupportedVersionException;
import io.tidelog.protocol.generator.MessageSchema;
import io.tidelog.protocol.generator.MessageSchema.Field;
import io.tidelog.protocol.generator.MessageSchema.Message;
import io.tidelog.protocol.types.ProtocolReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message, every offered version, both directions, against kafka-clients' own classes:
 * random values we encode parse with Kafka's class, Kafka re-encodes them to the same bytes, and
 * those bytes parse with ours to equal values.
 */
class MessageOracleTest {

    private static final int ROUNDS_PER_VERSION = 25;
    private static final MessageSchema SCHEMA = MessageFixtures.schema();

    @TestFactory
    Stream<DynamicTest> givenRandomValuesWhenEncodedByUsThenKafkaParsesAndReencodesTheSameBytesAndWeParseThemBack() {
        long seed = MessageFixtures.seed();
        List<DynamicTest> tests = new ArrayList<>();
        for (Message message : SCHEMA.messages()) {
            for (short version : MessageFixtures.versions(message)) {
                tests.add(DynamicTest.dynamicTest(message.name() + " v" + version, () -> {
                    Random random = new Random(seed ^ (message.name().hashCode() * 31L + version));
                    for (int round = 0; round < ROUNDS_PER_VERSION; round++) {
                        roundTrip(message, version, random, seed, round);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> givenAFieldTheVersionLacksSetToNonDefaultWhenEncodedThenWeRefuseExactlyWhenKafkaRefuses() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = MessageFixtures.seed();
        for (Message message : SCHEMA.messages()) {
            List<Short> versions = MessageFixtures.versions(message);
            for (short version : versions) {
                collectAbsentFieldCases(message, message.fields(), new ArrayList<>(), version, versions, tests, seed);
            }
        }
        return tests.stream();
    }

    private static void roundTrip(Message message, short version, Random random, long seed, int round) {
        String context = message.name() + " v" + version + " round " + round + " (seed " + seed + ")";
        ProtocolMessage ours = MessageFixtures.randomMessage(message, version, random);
        ByteBuffer ourBytes = MessageFixtures.encode(ours, version);

        org.apache.kafka.common.protocol.ApiMessage theirs = KafkaOracle.parse(message.name(), ourBytes, version);
        ByteBuffer theirBytes = KafkaOracle.write(theirs, version);
        assertThat(theirBytes).as(context + ": Kafka's re-encoding of %s", ours).isEqualTo(ourBytes);

        ProtocolMessage parsed = readOurs(message, theirBytes.duplicate(), version);
        assertThat(parsed).as(context + ": our parse of Kafka's bytes").isEqualTo(ours);
        assertThat(MessageFixtures.encode(parsed, version)).as(context + ": our re-encoding").isEqualTo(theirBytes);
    }

    /** For each field (nested ones via a one-element parent chain) absent at {@code version}. */
    private static void collectAbsentFieldCases(Message message, List<Field> fields, List<Field> path, short version,
                                                List<Short> versions, List<DynamicTest> tests, long seed) {
        for (Field field : fields) {
            List<Field> fieldPath = new ArrayList<>(path);
            fieldPath.add(field);
            if (!field.versions().contains(version)) {
                Short carrier = versions.stream().filter(v -> pathExists(fieldPath, v)).reduce((a, b) -> b).orElse(null);
                if (carrier != null && pathExists(path, version)) {
                    tests.add(DynamicTest.dynamicTest(message.name() + " v" + version + " with " + pathName(fieldPath),
                            () -> checkAbsentField(message, fieldPath, version, carrier, seed)));
                }
            } else if (field.kind() == MessageSchema.Kind.STRUCT) {
                collectAbsentFieldCases(message, field.fields(), fieldPath, version, versions, tests, seed);
            }
        }
    }

    private static void checkAbsentField(Message message, List<Field> path, short version, short carrier, long seed) {
        Random random = new Random(seed);
        ProtocolMessage ours = (ProtocolMessage) newInstance(MessageFixtures.messageClass(message));
        Object owner = ours;
        for (int i = 0; i < path.size() - 1; i++) {
            Field parent = path.get(i);
            Object child = newInstance(MessageFixtures.structClass(owner.getClass(), parent));
            MessageFixtures.set(owner, parent, parent.array() ? new ArrayList<>(List.of(child)) : child);
            owner = child;
        }
        Field field = path.get(path.size() - 1);
        Object defaultValue = MessageFixtures.get(newInstance(owner.getClass()), field);
        Object value;
        int attempts = 0;
        do {
            value = MessageFixtures.randomValue(owner.getClass(), field, carrier, random);
            assertThat(++attempts).as("a non-default value for " + pathName(path)).isLessThan(1000);
        } while (value == null || Objects.deepEquals(value, defaultValue));
        MessageFixtures.set(owner, field, value);

        org.apache.kafka.common.protocol.ApiMessage theirs =
                KafkaOracle.parse(message.name(), MessageFixtures.encode(ours, carrier), carrier);
        boolean kafkaRefuses = refuses(() -> KafkaOracle.write(theirs, version));
        boolean weRefuse = refuses(() -> MessageFixtures.encode(ours, version));
        assertThat(weRefuse).as("%s v%d with non-default %s (seed %d): we refuse iff Kafka does",
                message.name(), version, pathName(path), seed).isEqualTo(kafkaRefuses);
        if (!weRefuse) {
            assertThat(MessageFixtures.encode(ours, version)).isEqualTo(KafkaOracle.write(theirs, version));
        }
    }

    private static boolean refuses(Runnable encode) {
        try {
            encode.run();
            return false;
        } catch (UnsupportedVersionException | org.apache.kafka.common.errors.UnsupportedVersionException e) {
            return true;
        }
    }

    private static boolean pathExists(List<Field> path, short version) {
        return path.stream().allMatch(f -> f.versions().contains(version));
    }

    private static String pathName(List<Field> path) {
        return String.join(".", path.stream().map(Field::name).toList());
    }

    static ProtocolMessage readOurs(Message message, ByteBuffer bytes, short version) {
        try {
            Method read = MessageFixtures.messageClass(message).getMethod("read", ProtocolReader.class, short.class);
            ProtocolReader reader = new ProtocolReader(bytes);
            ProtocolMessage parsed = (ProtocolMessage) read.invoke(null, reader, version);
            reader.requireEnd(message.name());
            return parsed;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object newInstance(Class<?> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

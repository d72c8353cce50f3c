package io.tidelog.protocol.message;

import io.tidelog.protocol.generator.MessageSchema;
import io.tidelog.protocol.generator.MessageSchema.Field;
import io.tidelog.protocol.generator.MessageSchema.Message;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the wire does not carry must still agree with Kafka: the value a field has when an older
 * version lacks it (the broker reads Fetch v4's logStartOffset as -1, like Kafka), and tagged
 * fields we do not know are skipped.
 */
class DefaultsAndTaggedFieldsTest {

    private static final MessageSchema SCHEMA = MessageFixtures.schema();

    @TestFactory
    Stream<DynamicTest> givenANewMessageThenEveryFieldHoldsKafkasDefault() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Message message : SCHEMA.messages()) {
            tests.add(DynamicTest.dynamicTest(message.name(), () -> {
                Class<?> kafkaTop = KafkaOracle.kafkaClass(message.name());
                compareDefaults(message.name(), MessageFixtures.messageClass(message), kafkaTop, kafkaTop, message.fields());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> givenUnknownTaggedFieldsFromANewerPeerWhenDecodedThenTheyAreSkipped() {
        long seed = MessageFixtures.seed();
        List<DynamicTest> tests = new ArrayList<>();
        for (Message message : SCHEMA.messages()) {
            for (short version : MessageFixtures.versions(message)) {
                if (!message.flexibleVersions().contains(version)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(message.name() + " v" + version, () -> {
                    Random random = new Random(seed ^ message.name().hashCode() ^ version);
                    ProtocolMessage ours = MessageFixtures.randomMessage(message, version, random);
                    org.apache.kafka.common.protocol.ApiMessage theirs =
                            KafkaOracle.parse(message.name(), MessageFixtures.encode(ours, version), version);
                    byte[] unknown = new byte[random.nextInt(40)];
                    random.nextBytes(unknown);
                    theirs.unknownTaggedFields().add(new RawTaggedField(900 + random.nextInt(100), unknown));
                    ByteBuffer withUnknownTag = KafkaOracle.write(theirs, version);

                    ProtocolMessage parsed = MessageOracleTest.readOurs(message, withUnknownTag, version);

                    assertThat(parsed).as("seed %d", seed).isEqualTo(ours);
                }));
            }
        }
        return tests.stream();
    }

    private static void compareDefaults(String path, Class<?> ours, Class<?> kafkaStruct, Class<?> kafkaTop,
                                        List<Field> fields) throws ReflectiveOperationException {
        Object ourInstance = ours.getConstructor().newInstance();
        Object kafkaInstance = kafkaStruct.getConstructor().newInstance();
        for (Field field : fields) {
            Object ourValue = ours.getMethod(field.name()).invoke(ourInstance);
            Object kafkaValue = kafkaStruct.getMethod(field.name()).invoke(kafkaInstance);
            String where = path + "." + field.name();
            if (field.array()) {
                assertThat(ourValue == null).as(where + " null").isEqualTo(kafkaValue == null);
                if (ourValue != null) {
                    assertThat((Collection<?>) ourValue).as(where).isEmpty();
                    assertThat((Collection<?>) kafkaValue).as(where).isEmpty();
                }
            } else if (field.kind() == MessageSchema.Kind.UUID) {
                UUID uuid = (UUID) ourValue;
                Uuid kafkaUuid = (Uuid) kafkaValue;
                assertThat(new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits())).as(where).isEqualTo(kafkaUuid);
            } else if (field.kind() == MessageSchema.Kind.BYTES) {
                assertThat((byte[]) ourValue).as(where).isEqualTo((byte[]) kafkaValue);
            } else if (field.kind() == MessageSchema.Kind.RECORDS) {
                assertThat(ourValue).as(where).isNull();
                assertThat(kafkaValue).as(where).isNull();
            } else if (field.kind() != MessageSchema.Kind.STRUCT) {
                assertThat(ourValue).as(where).isEqualTo(kafkaValue);
            }
            if (field.kind() == MessageSchema.Kind.STRUCT) {
                Class<?> kafkaChild = Class.forName(kafkaTop.getName() + "$" + field.structName());
                compareDefaults(where, MessageFixtures.structClass(ours, field), kafkaChild, kafkaTop, field.fields());
            }
        }
    }
}

package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteBufferSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Our serializers produce the bytes Kafka's do, so keys hash to the same partitions. */
class SerializersTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @Test
    void givenRandomValues_whenSerialized_thenTheBytesEqualKafkasSerializers() {
        Random random = new Random(SEED);
        try (StringSerializer strings = new StringSerializer(); LongSerializer longs = new LongSerializer();
             IntegerSerializer ints = new IntegerSerializer(); ByteBufferSerializer buffers = new ByteBufferSerializer()) {
            for (int i = 0; i < 1000; i++) {
                String s = "k\u00e9y-" + random.nextLong() + "-\u6f22";
                long l = random.nextLong();
                int n = random.nextInt();
                assertThat(Serializers.string().serialize("t", s)).as("seed %d", SEED).isEqualTo(strings.serialize("t", s));
                assertThat(Serializers.longs().serialize("t", l)).isEqualTo(longs.serialize("t", l));
                assertThat(Serializers.integers().serialize("t", n)).isEqualTo(ints.serialize("t", n));
                ByteBuffer buffer = ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertThat(Serializers.byteBuffer().serialize("t", buffer))
                        .isEqualTo(buffers.serialize("t", buffer.duplicate()));
            }
        }
    }

    @Test
    void givenAByteBufferWithAPosition_whenSerialized_thenOnlyTheBytesFromPositionToLimitAreTakenAndItDoesNotMove() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}, 1, 3);
        assertThat(Serializers.byteBuffer().serialize("t", buffer)).containsExactly(2, 3, 4);
        assertThat(buffer.position()).isEqualTo(1);
    }

    @Test
    void givenNull_whenSerialized_thenEverySerializerGivesNull() {
        assertThat(Serializers.string().serialize("t", null)).isNull();
        assertThat(Serializers.byteArray().serialize("t", null)).isNull();
        assertThat(Serializers.byteBuffer().serialize("t", null)).isNull();
        assertThat(Serializers.longs().serialize("t", null)).isNull();
        assertThat(Serializers.integers().serialize("t", null)).isNull();
    }
}

package io.tidelog.protocol.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VarintTest {

    @Test
    void zigZagEncodesMinusOneInOneByte() {
        ByteBuffer buf = ByteBuffer.allocate(10);
        Varint.writeVarint(-1, buf);
        assertThat(buf.position()).isEqualTo(1);
        assertThat(buf.get(0)).isEqualTo((byte) 1);
        assertThat(Varint.sizeOfVarint(-1)).isEqualTo(1);
    }

    @Test
    void unsignedEncodesKnownBytes() {
        ByteBuffer buf = ByteBuffer.allocate(10);
        Varint.writeUnsignedVarint(300, buf);
        assertThat(buf.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {(byte) 0xac, 0x02}));
    }

    @Test
    void roundTripsRandomValuesAndSizesMatch() {
        long seed = Long.getLong("tidelog.seed", System.nanoTime());
        Random random = new Random(seed);
        ByteBuffer buf = ByteBuffer.allocate(16);
        for (int i = 0; i < 100_000; i++) {
            int v = random.nextInt() >> random.nextInt(32);
            long l = random.nextLong() >> random.nextInt(64);
            buf.clear();
            Varint.writeVarint(v, buf);
            assertThat(buf.position()).as("seed %d value %d", seed, v).isEqualTo(Varint.sizeOfVarint(v));
            Varint.writeVarlong(l, buf.clear());
            assertThat(buf.position()).as("seed %d value %d", seed, l).isEqualTo(Varint.sizeOfVarlong(l));
            assertThat(Varint.readVarlong(buf.flip())).as("seed %d", seed).isEqualTo(l);
            Varint.writeVarint(v, buf.clear());
            assertThat(Varint.readVarint(buf.flip())).as("seed %d", seed).isEqualTo(v);
            Varint.writeUnsignedVarint(v, buf.clear());
            assertThat(buf.position()).isEqualTo(Varint.sizeOfUnsignedVarint(v));
            assertThat(Varint.readUnsignedVarint(buf.flip())).as("seed %d", seed).isEqualTo(v);
        }
    }

    @Test
    void rejectsOverlongVarintWithoutReadingPastFiveBytes() {
        ByteBuffer buf = ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});
        assertThatThrownBy(() -> Varint.readUnsignedVarint(buf)).isInstanceOf(MalformedVarintException.class);
    }

    @Test
    void truncatedVarintUnderflows() {
        ByteBuffer buf = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80});
        assertThatThrownBy(() -> Varint.readVarint(buf)).isInstanceOf(BufferUnderflowException.class);
    }
}

package io.tidelog.protocol.types;

import io.tidelog.protocol.frame.EncodedFrame;
import io.tidelog.protocol.record.MemoryRecords;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sizes are exact, records are parts of their own, and values Kafka cannot carry are refused. */
class ProtocolWriterTest {

    @Test
    void givenAStringLongerThan32767BytesWhenSizedThenItIsRefusedAsKafkaRefusesIt() {
        String name = "x".repeat(ProtocolWriter.MAX_STRING_BYTES + 1);
        assertThatThrownBy(() -> ProtocolWriter.sizeOfNullableString(name, true, "name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThat(ProtocolWriter.sizeOfNullableString("x".repeat(ProtocolWriter.MAX_STRING_BYTES), false, "name"))
                .isEqualTo(2 + ProtocolWriter.MAX_STRING_BYTES);
    }

    @Test
    void givenFieldsAroundRecordsWhenWrittenThenThePartsAreFieldsRecordsFieldsAndCoverEveryByte() {
        MemoryRecords records = MemoryRecords.wrap(new byte[] {7, 7, 7});
        ByteBuffer fields = ByteBuffer.allocate(4 + 1 + 2);
        ProtocolWriter writer = new ProtocolWriter(fields);
        writer.writeInt32(42);
        writer.writeNullableRecords(records, true);
        writer.writeInt16((short) 5);

        EncodedFrame frame = writer.finish(fields.capacity() + records.sizeInBytes());

        assertThat(frame.partCount()).isEqualTo(3);
        assertThat(frame.part(1)).isSameAs(records);
        assertThat(frame.toByteBuffer().array()).containsExactly(0, 0, 0, 42, 4, 7, 7, 7, 0, 5);
    }

    @Test
    void givenAWriterThatDidNotFillItsBufferWhenFinishedThenTheSizeMismatchIsABug() {
        ProtocolWriter writer = new ProtocolWriter(ByteBuffer.allocate(8));
        writer.writeInt32(1);
        assertThatThrownBy(() -> writer.finish(8)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givenNullsWhenWrittenThenTheyUseMinusOneOrCompactZero() {
        ByteBuffer buffer = ByteBuffer.allocate(2 + 4 + 4 + 1 + 1 + 1);
        ProtocolWriter writer = new ProtocolWriter(buffer);
        writer.writeNullableString(null, false);
        writer.writeNullableBytes(null, false);
        writer.writeNullableRecords(null, false);
        writer.writeNullableString(null, true);
        writer.writeNullableRecords(null, true);
        writer.writeArrayLength(-1, true);
        assertThat(buffer.array()).containsExactly(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0);
    }
}

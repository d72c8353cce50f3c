package io.tidelog.protocol.types;

import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.Records;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lengths from the wire are checked against the bytes left before anything is allocated. */
class ProtocolReaderTest {

    @Test
    void givenAnInt16StringLengthPastTheEndWhenReadThenItIsADecodeError() {
        assertMalformed(bytes(0x7f, 0xff, 'a', 'b'), r -> r.readString(false, "name"));
    }

    @Test
    void givenACompactStringLengthOfTwoToThe32WhenReadThenItIsADecodeError() {
        assertMalformed(bytes(0xff, 0xff, 0xff, 0xff, 0x0f, 'a'), r -> r.readNullableString(true, "name"));
    }

    @Test
    void givenANegativeLengthOtherThanMinusOneWhenReadThenItIsADecodeError() {
        assertMalformed(bytes(0xff, 0xfe), r -> r.readNullableString(false, "name"));
        assertMalformed(bytes(0x80, 0, 0, 0), r -> r.readNullableBytes(false, "value"));
    }

    @Test
    void givenANullForANonNullableStringWhenReadThenItIsADecodeError() {
        assertMalformed(bytes(0xff, 0xff), r -> r.readString(false, "name"));
        assertMalformed(bytes(0), r -> r.readString(true, "name"));
    }

    @Test
    void givenRecordsOfTwoToThe31MinusOneBytesWhenReadThenItIsADecodeError() {
        assertMalformed(bytes(0x7f, 0xff, 0xff, 0xff, 1, 2, 3), r -> r.readNullableRecords(false, "records"));
    }

    @Test
    void givenAnArrayOfTwoToThe31MinusOneElementsWhenReadThenItIsADecodeErrorBeforeAnyListIsSized() {
        assertMalformed(bytes(0x7f, 0xff, 0xff, 0xff, 1, 2, 3, 4), r -> r.readArrayLength(false, 1, "topics"));
        assertMalformed(bytes(0xff, 0xff, 0xff, 0xff, 0x07, 1), r -> r.readArrayLength(true, 1, "topics"));
    }

    @Test
    void givenAnArrayWhoseElementsCannotFitWhenReadThenItIsADecodeError() {
        // 3 int32 elements need 12 bytes, only 8 follow.
        assertMalformed(bytes(0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2), r -> r.readArrayLength(false, 4, "replicas"));
    }

    @Test
    void givenAVarintLongerThanFiveBytesWhenReadThenItIsADecodeError() {
        assertMalformed(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x01), ProtocolReader::readUnsignedVarint);
        assertMalformed(bytes(0x80, 0x80), ProtocolReader::readUnsignedVarint);
    }

    @Test
    void givenATaggedFieldLongerThanTheFrameWhenSkippedThenItIsADecodeError() {
        assertMalformed(bytes(1, 0, 0x7f, 1), ProtocolReader::skipTaggedFields);
        assertMalformed(bytes(0xff, 0xff, 0xff, 0xff, 0x07), ProtocolReader::skipTaggedFields);
    }

    @Test
    void givenAKnownTaggedFieldWhoseValueIsShorterThanItsSizeWhenReadThenItIsADecodeError() {
        ProtocolReader reader = new ProtocolReader(ByteBuffer.wrap(bytes(3, 0, 0, 0, 9, 0)));
        int outer = reader.beginTaggedField(0);
        reader.readInt16();
        assertThatThrownBy(() -> reader.endTaggedField(0, outer)).isInstanceOf(ProtocolDecodeException.class);
    }

    @Test
    void givenAReadPastTheEndOfAFixedWidthFieldThenItIsADecodeErrorNotABufferUnderflow() {
        assertMalformed(bytes(0, 0, 0), ProtocolReader::readInt32);
        assertMalformed(bytes(0, 0, 0, 0, 0, 0, 0), ProtocolReader::readInt64);
        assertMalformed(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), ProtocolReader::readUuid);
    }

    @Test
    void givenRecordsWhenReadThenTheyAreASliceOfTheBufferAndThePositionMovesPastThem() {
        ByteBuffer buffer = ByteBuffer.wrap(bytes(0, 0, 0, 2, 7, 8, 9));
        ProtocolReader reader = new ProtocolReader(buffer);

        Records records = reader.readNullableRecords(false, "records");

        assertThat(records.sizeInBytes()).isEqualTo(2);
        assertThat(((MemoryRecords) records).buffer().array()).isSameAs(buffer.array());
        assertThat(reader.readInt8()).isEqualTo((byte) 9);
    }

    @Test
    void givenMultiByteCharactersWhenWrittenThenTheBytesAreThoseOfStringGetBytes() {
        for (String s : new String[] {"", "abc", "\u00e9t\u00e9", "\u65e5\u672c", "\ud83d\ude00", "bad\ud800x", "\udc00"}) {
            ByteBuffer out = ByteBuffer.allocate(Utf8.encodedLength(s));
            Utf8.write(s, out);
            assertThat(out.array()).as(s).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static void assertMalformed(byte[] input, Consumer<ProtocolReader> read) {
        assertThatThrownBy(() -> read.accept(new ProtocolReader(ByteBuffer.wrap(input))))
                .isInstanceOf(ProtocolDecodeException.class);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}

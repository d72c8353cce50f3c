package io.tidelog.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.broker.replica.TopicPartition;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The on-disk key/value format of __consumer_offsets records. */
class OffsetsRecordFormatTest {

    @Test
    void offsetKeysAreOnePerGroupTopicAndPartitionSoCompactionByKeyKeepsTheLatestCommit() {
        byte[] a = OffsetsRecordFormat.offsetKey("g", new TopicPartition("t", 1));
        byte[] same = OffsetsRecordFormat.offsetKey("g", new TopicPartition("t", 1));
        byte[] otherPartition = OffsetsRecordFormat.offsetKey("g", new TopicPartition("t", 2));
        byte[] group = OffsetsRecordFormat.groupKey("g");
        assertThat(a).isEqualTo(same);
        assertThat(Arrays.equals(a, otherPartition)).isFalse();
        assertThat(Arrays.equals(a, group)).isFalse();
        OffsetsRecordFormat.Key decoded = OffsetsRecordFormat.readKey(a);
        assertThat(decoded.type()).isEqualTo(OffsetsRecordFormat.OFFSET_KEY_TYPE);
        assertThat(decoded.group()).isEqualTo("g");
        assertThat(decoded.topicPartition()).isEqualTo(new TopicPartition("t", 1));
        assertThat(OffsetsRecordFormat.readKey(group).group()).isEqualTo("g");
    }

    @Test
    void offsetValuesRoundTripWithTheirLayout() {
        OffsetAndMetadata offset = new OffsetAndMetadata(123_456_789_012L, 7, "héllo", 1_700_000_000_123L);
        byte[] value = OffsetsRecordFormat.offsetValue(offset);
        ByteBuffer buf = ByteBuffer.wrap(value);
        assertThat(buf.getShort()).isEqualTo((short) 0);
        assertThat(buf.getLong()).isEqualTo(123_456_789_012L);
        assertThat(buf.getInt()).isEqualTo(7);
        assertThat(OffsetsRecordFormat.readOffsetValue(value)).isEqualTo(offset);
    }

    @Test
    void groupValuesRoundTripIncludingStaticAndDynamicMembers() {
        OffsetsRecordFormat.StoredGroup group = new OffsetsRecordFormat.StoredGroup("consumer", 5, "range", "m1", 42L,
                List.of(new OffsetsRecordFormat.StoredMember("m1", null, "c1", "/10.0.0.1", 30000, 10000,
                                new byte[] {1, 2}, new byte[] {3}),
                        new OffsetsRecordFormat.StoredMember("m2", "instance-2", "c2", "/10.0.0.2", 60000, 45000,
                                new byte[0], new byte[] {4, 5, 6})));
        OffsetsRecordFormat.StoredGroup back = OffsetsRecordFormat.readGroupValue(OffsetsRecordFormat.groupValue(group));
        assertThat(back.protocolType()).isEqualTo("consumer");
        assertThat(back.generation()).isEqualTo(5);
        assertThat(back.leader()).isEqualTo("m1");
        assertThat(back.members()).hasSize(2);
        assertThat(back.members().get(0).groupInstanceId()).isNull();
        assertThat(back.members().get(1).groupInstanceId()).isEqualTo("instance-2");
        assertThat(back.members().get(1).assignment()).containsExactly(4, 5, 6);
    }

    @Test
    void unknownVersionsAreSkippedAndTruncatedValuesAreRejected() {
        byte[] future = ByteBuffer.allocate(2).putShort((short) 9).array();
        assertThat(OffsetsRecordFormat.readOffsetValue(future)).isNull();
        assertThat(OffsetsRecordFormat.readKey(future)).isNull();
        byte[] value = OffsetsRecordFormat.offsetValue(new OffsetAndMetadata(1, -1, "m", 2));
        assertThatThrownBy(() -> OffsetsRecordFormat.readOffsetValue(Arrays.copyOf(value, value.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.tidelog.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchBuilder;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Turning fetched batches into records: positions, skips, gaps, control batches and damage. */
class CompletedFetchTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    private static ByteBuffer batch(long baseOffset, int epoch, int count, String prefix) {
        RecordBatchBuilder builder = new RecordBatchBuilder().baseOffset(baseOffset).partitionLeaderEpoch(epoch);
        for (int i = 0; i < count; i++) {
            builder.append(100 + i, null, (prefix + (baseOffset + i)).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    private static SubscriptionState.PartitionState at(long position) {
        SubscriptionState.PartitionState state = new SubscriptionState.PartitionState(TP);
        state.state = SubscriptionState.FetchState.FETCHING;
        state.position = position;
        return state;
    }

    private static List<ConsumerRecord<String, String>> drainAll(CompletedFetch fetch,
                                                                 SubscriptionState.PartitionState state,
                                                                 boolean checkCrcs) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        while (!fetch.isExhausted()) {
            fetch.drain(state, 3, checkCrcs, Deserializers.string(), Deserializers.string(), out);
        }
        return out;
    }

    @Test
    void givenAFetchOffsetInsideABatchWhenDrainedThenRecordsBelowThePositionAreSkipped() {
        SubscriptionState.PartitionState state = at(3);
        CompletedFetch fetch = new CompletedFetch(TP, 3, batch(0, 4, 6, "v"));
        List<ConsumerRecord<String, String>> records = drainAll(fetch, state, true);
        assertThat(records).extracting(ConsumerRecord::offset).containsExactly(3L, 4L, 5L);
        assertThat(records).allMatch(r -> r.leaderEpoch() == 4);
        assertThat(state.position).isEqualTo(6);
        assertThat(state.offsetEpoch).isEqualTo(4);
    }

    @Test
    void givenAGapBetweenBatchesAsAfterCompactionWhenDrainedThenThePositionJumpsOverIt() {
        SubscriptionState.PartitionState state = at(0);
        CompletedFetch fetch = new CompletedFetch(TP, 0, concat(batch(0, 1, 2, "v"), batch(10, 1, 2, "v")));
        assertThat(drainAll(fetch, state, true)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 10L, 11L);
        assertThat(state.position).isEqualTo(12);
    }

    @Test
    void givenAControlBatchWhenDrainedThenItIsSkippedButThePositionMovesPastIt() {
        ByteBuffer control = batch(2, 1, 1, "marker");
        control.putShort(RecordBatchLayout.ATTRIBUTES_OFFSET,
                (short) (control.getShort(RecordBatchLayout.ATTRIBUTES_OFFSET) | RecordBatchLayout.CONTROL_FLAG));
        RecordBatch view = new RecordBatch().wrap(control, 0);
        control.putInt(RecordBatchLayout.CRC_OFFSET, (int) view.computeCrc());
        SubscriptionState.PartitionState state = at(0);
        CompletedFetch fetch = new CompletedFetch(TP, 0, concat(batch(0, 1, 2, "v"), control, batch(3, 1, 1, "v")));
        assertThat(drainAll(fetch, state, true)).extracting(ConsumerRecord::value).containsExactly("v0", "v1", "v3");
        assertThat(state.position).isEqualTo(4);
    }

    @Test
    void givenACompressedBatchWhenDrainedThenItsRecordsComeBackInflated() {
        RecordBatchBuilder builder = new RecordBatchBuilder().baseOffset(0).partitionLeaderEpoch(0);
        for (int i = 0; i < 50; i++) {
            builder.append(i, ("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer zstd = builder.buildCompressed(CompressionType.ZSTD.codec(), CompressionType.ZSTD::compress);
        List<ConsumerRecord<String, String>> records = drainAll(new CompletedFetch(TP, 0, zstd), at(0), true);
        assertThat(records).hasSize(50);
        assertThat(records.get(49).key()).isEqualTo("k49");
    }

    @Test
    void givenAFlippedByteWhenCrcsAreCheckedThenCorruptRecordNamesTheOffsetAndTheSameErrorRepeats() {
        ByteBuffer damaged = batch(0, 1, 4, "v");
        int last = damaged.limit() - 1;
        damaged.put(last, (byte) (damaged.get(last) ^ 0x5a));
        SubscriptionState.PartitionState state = at(0);
        CompletedFetch fetch = new CompletedFetch(TP, 0, damaged);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        assertThatThrownBy(() -> fetch.drain(state, 10, true, Deserializers.string(), Deserializers.string(), out))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("CRC_MISMATCH")
                .hasMessageContaining("t-0");
        assertThatThrownBy(() -> fetch.drain(state, 10, true, Deserializers.string(), Deserializers.string(), out))
                .isInstanceOf(CorruptRecordException.class);
        assertThat(state.position).isZero();
        assertThat(out).isEmpty();
    }

    @Test
    void givenAFlippedValueByteWhenCrcsAreNotCheckedThenTheRecordsAreReturnedAsTheyAre() {
        ByteBuffer damaged = batch(0, 1, 1, "v");
        int last = damaged.limit() - 2;
        damaged.put(last, (byte) 'X');
        List<ConsumerRecord<String, String>> records = drainAll(new CompletedFetch(TP, 0, damaged), at(0), false);
        assertThat(records).hasSize(1);
    }

    @Test
    void givenABatchCutShortAtTheEndWhenDrainedThenTheWholeBatchesComeBackAndTheRestIsFetchedAgain() {
        ByteBuffer two = concat(batch(0, 1, 2, "v"), batch(2, 1, 2, "v"));
        ByteBuffer cut = two.duplicate().limit(two.limit() - 5).slice();
        SubscriptionState.PartitionState state = at(0);
        assertThat(drainAll(new CompletedFetch(TP, 0, cut), state, true)).hasSize(2);
        assertThat(state.position).isEqualTo(2);
    }

    @Test
    void givenOnlyAPartialBatchWhenDrainedThenRecordTooLargeSaysWhichSettingToRaise() {
        ByteBuffer one = batch(0, 1, 5, "v");
        ByteBuffer cut = one.duplicate().limit(one.limit() - 5).slice();
        CompletedFetch fetch = new CompletedFetch(TP, 0, cut);
        assertThatThrownBy(() -> drainAll(fetch, at(0), true)).isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("max.partition.fetch.bytes");
    }

    @Test
    void givenAFailingDeserializerWhenDrainedThenTheErrorNamesTheOffsetAndThePositionStaysThere() {
        SubscriptionState.PartitionState state = at(0);
        CompletedFetch fetch = new CompletedFetch(TP, 0, batch(0, 1, 3, "v"));
        Deserializer<String> picky = (topic, data) -> {
            String s = new String(data, StandardCharsets.UTF_8);
            if (s.equals("v1")) {
                throw new IllegalArgumentException("bad value");
            }
            return s;
        };
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        fetch.drain(state, 1, true, Deserializers.string(), picky, out);
        assertThatThrownBy(() -> fetch.drain(state, 10, true, Deserializers.string(), picky, out))
                .isInstanceOf(RecordDeserializationException.class).hasMessageContaining("offset 1")
                .extracting(e -> ((RecordDeserializationException) e).offset()).isEqualTo(1L);
        assertThat(state.position).isEqualTo(1);
        assertThat(out).hasSize(1);
    }
}

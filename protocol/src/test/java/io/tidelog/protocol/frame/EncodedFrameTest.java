package io.tidelog.protocol.frame;

import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.record.FileRegionRecords;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.Records;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Responses are encoded as parts so file regions go out by sendfile, never through the heap. */
class EncodedFrameTest {

    @TempDir
    Path dir;

    @Test
    void givenAFetchResponseWithFileRegionsWhenEncodedThenTheFileIsNotReadAndTheRegionsArePartsOfTheirOwn() throws IOException {
        Path segment = dir.resolve("00000000000000000000.log");
        Files.write(segment, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ);
        channel.close(); // a closed channel proves encoding never reads it
        FileRegionRecords first = new FileRegionRecords(channel, 2, 3);
        FileRegionRecords second = new FileRegionRecords(channel, 6, 4);

        EncodedFrame frame = FrameEncoder.encodeResponse(11, (short) 12, fetchResponse(first, second));

        List<Object> parts = new ArrayList<>();
        frame.forEachPart(new EncodedFrame.PartConsumer() {
            @Override
            public void buffer(ByteBuffer bytes) {
                parts.add(bytes);
            }

            @Override
            public void records(Records records) {
                parts.add(records);
            }
        });
        assertThat(parts).hasSize(5);
        assertThat(parts.get(1)).isSameAs(first);
        assertThat(parts.get(3)).isSameAs(second);
        int bufferBytes = ((ByteBuffer) parts.get(0)).remaining() + ((ByteBuffer) parts.get(2)).remaining()
                + ((ByteBuffer) parts.get(4)).remaining();
        assertThat(frame.sizeInBytes()).isEqualTo(bufferBytes + 3 + 4);
    }

    @Test
    void givenAFetchResponseWithFileRegionsWhenItsPartsAreSentThenTheJavaClientReadsTheFileBytes() throws IOException {
        Path segment = dir.resolve("00000000000000000000.log");
        Files.write(segment, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            EncodedFrame frame = FrameEncoder.encodeResponse(11, (short) 12,
                    fetchResponse(new FileRegionRecords(channel, 2, 3), new FileRegionRecords(channel, 6, 4)));

            ByteBuffer bytes = FrameTestSupport.withoutSizePrefix(frame);
            assertThat(ResponseHeader.parse(bytes, (short) 1).correlationId()).isEqualTo(11);
            FetchResponseData theirs = new FetchResponseData(new ByteBufferAccessor(bytes), (short) 12);

            FetchResponseData.PartitionData p0 = theirs.responses().get(0).partitions().get(0);
            FetchResponseData.PartitionData p1 = theirs.responses().get(0).partitions().get(1);
            assertThat(p0.highWatermark()).isEqualTo(100);
            assertThat(bytesOf(p0)).containsExactly(2, 3, 4);
            assertThat(bytesOf(p1)).containsExactly(6, 7, 8, 9);
            assertThat(theirs.responses().get(0).partitions().get(2).records()).isNull();
        }
    }

    @Test
    void givenMemoryRecordsWhenEncodedThenThePartIsTheSameBytesNotACopy() {
        MemoryRecords records = MemoryRecords.wrap(new byte[] {1, 2, 3});
        EncodedFrame frame = FrameEncoder.encodeResponse(1, (short) 4, fetchResponse(records, MemoryRecords.EMPTY));

        assertThat(frame.partCount()).isEqualTo(3);
        assertThat(frame.part(1)).isSameAs(records);
    }

    @Test
    void givenASizePrefixAboveTheMaximumWhenCheckedThenItIsRejectedBeforeAnyAllocation() {
        assertThatThrownBy(() -> FrameLength.check(Integer.MAX_VALUE, 100 * 1024 * 1024))
                .isInstanceOf(ProtocolDecodeException.class).hasMessageContaining("socket.request.max.bytes");
        assertThatThrownBy(() -> FrameLength.check(-1, 100)).isInstanceOf(ProtocolDecodeException.class);
        assertThat(FrameLength.check(100, 100)).isEqualTo(100);
        assertThat(FrameLength.check(0, 100)).isEqualTo(0);
    }

    @Test
    void givenFewerThanFourBytesWhenPeekedThenTheSizeIsNotKnownYetAndNothingIsConsumed() {
        ByteBuffer partial = ByteBuffer.wrap(new byte[] {0, 0, 1});
        assertThat(FrameLength.peek(partial, 1000)).isEqualTo(-1);
        ByteBuffer full = ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 9});
        assertThat(FrameLength.peek(full, 1000)).isEqualTo(256);
        assertThat(full.position()).isZero();
        assertThatThrownBy(() -> FrameLength.peek(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 0}), 1000))
                .isInstanceOf(ProtocolDecodeException.class);
    }

    private static FetchResponse fetchResponse(Records first, Records second) {
        List<FetchResponse.FetchableTopicResponse.PartitionData> partitions = new ArrayList<>();
        partitions.add(new FetchResponse.FetchableTopicResponse.PartitionData().setPartitionIndex(0).setHighWatermark(100).setRecords(first));
        partitions.add(new FetchResponse.FetchableTopicResponse.PartitionData().setPartitionIndex(1).setHighWatermark(100).setRecords(second));
        partitions.add(new FetchResponse.FetchableTopicResponse.PartitionData().setPartitionIndex(2).setHighWatermark(0).setRecords(null));
        return new FetchResponse().setResponses(List.of(
                new FetchResponse.FetchableTopicResponse().setTopic("orders").setPartitions(partitions)));
    }

    private static List<Integer> bytesOf(FetchResponseData.PartitionData partition) {
        ByteBuffer buffer = ((org.apache.kafka.common.record.internal.MemoryRecords) partition.records()).buffer();
        List<Integer> bytes = new ArrayList<>();
        while (buffer.hasRemaining()) {
            bytes.add((int) buffer.get());
        }
        return bytes;
    }
}

package io.tidelog.systemtests.clients;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.frame.FrameEncoder;
import io.tidelog.protocol.frame.RequestHeader;
import io.tidelog.protocol.frame.ResponseDecoder;
import io.tidelog.protocol.message.FetchRequest;
import io.tidelog.protocol.message.FetchResponse;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchLayout;

/**
 * What no client API shows: how a broker stores a partition's record batches. One Fetch (v12,
 * topic names, from offset 0) straight over a socket, decoded with our protocol codecs; returns the
 * compression codec of each whole batch in the answer. Used to check that a producer asked for a
 * codec really sent (and the broker kept) compressed batches.
 */
final class StoredBatches {

    private static final short FETCH_VERSION = 12;
    private static final int MAX_BYTES = 8 * 1024 * 1024;

    private StoredBatches() {
    }

    /** The codec id (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd) of every batch of the partition, in order. */
    static List<Integer> codecs(String bootstrap, String topic, int partition) {
        FetchRequest request = new FetchRequest().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(MAX_BYTES)
                .setTopics(List.of(new FetchRequest.FetchTopic().setTopic(topic).setPartitions(List.of(
                        new FetchRequest.FetchTopic.FetchPartition().setPartition(partition).setFetchOffset(0)
                                .setPartitionMaxBytes(MAX_BYTES)))));
        RequestHeader header = new RequestHeader(ApiKey.FETCH.id(), FETCH_VERSION, 1, "stored-batches");
        int colon = bootstrap.lastIndexOf(':');
        try (Socket socket = new Socket(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)))) {
            ByteBuffer frame = FrameEncoder.encodeRequest(header, request).toByteBuffer();
            socket.getOutputStream().write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            FetchResponse response = (FetchResponse) ResponseDecoder.decode(ByteBuffer.wrap(answer), ApiKey.FETCH,
                    FETCH_VERSION).body();
            FetchResponse.FetchableTopicResponse.PartitionData data = response.responses().get(0).partitions().get(0);
            if (data.errorCode() != Errors.NONE.code()) {
                throw new AssertionError("Fetch of " + topic + "-" + partition + " failed: " + Errors.forCode(data.errorCode()));
            }
            return codecsOf(((MemoryRecords) data.records()).buffer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch " + topic + "-" + partition + " from " + bootstrap, e);
        }
    }

    private static List<Integer> codecsOf(ByteBuffer records) {
        List<Integer> codecs = new ArrayList<>();
        RecordBatch batch = new RecordBatch();
        int position = records.position();
        while (records.limit() - position >= RecordBatchLayout.HEADER_SIZE) {
            batch.wrap(records, position);
            if (batch.available() < batch.sizeInBytes()) {
                break; // a partial batch at the end of the answer
            }
            codecs.add(batch.compressionCodec());
            position += batch.sizeInBytes();
        }
        return codecs;
    }
}

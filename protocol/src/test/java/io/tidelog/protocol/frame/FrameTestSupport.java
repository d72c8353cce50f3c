package io.tidelog.protocol.frame;

import io.tidelog.protocol.message.KafkaOracle;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;

import java.nio.ByteBuffer;

/** Request frames as kafka-clients would put them on the wire (without the size prefix). */
final class FrameTestSupport {

    private FrameTestSupport() {
    }

    static ByteBuffer kafkaRequestFrame(ApiKeys api, short version, int correlationId, String clientId,
                                        org.apache.kafka.common.protocol.ApiMessage body) {
        short headerVersion = api.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId(clientId);
        return concat(KafkaOracle.write(header, headerVersion), KafkaOracle.write(body, version));
    }

    static ByteBuffer concat(ByteBuffer... parts) {
        int size = 0;
        for (ByteBuffer part : parts) {
            size += part.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer part : parts) {
            out.put(part.duplicate());
        }
        return out.flip();
    }

    /** The frame without its 4-byte size prefix, after checking the prefix is right. */
    static ByteBuffer withoutSizePrefix(EncodedFrame frame) {
        ByteBuffer bytes = frame.toByteBuffer();
        if (bytes.getInt(0) != bytes.remaining() - 4) {
            throw new AssertionError("size prefix " + bytes.getInt(0) + " but " + (bytes.remaining() - 4) + " bytes follow");
        }
        return bytes.position(4).slice();
    }
}

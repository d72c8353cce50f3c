package io.tidelog.protocol.frame;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.types.MessageSize;
import io.tidelog.protocol.types.ProtocolWriter;

import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * Encodes whole frames (size prefix, header, body) as {@link EncodedFrame}s: the exact size is
 * computed first, then every encoded field is written into one buffer of
 * {@code size - records bytes}; records payloads become parts of their own.
 */
public final class FrameEncoder {

    private static final IntFunction<ByteBuffer> HEAP = ByteBuffer::allocate;

    private FrameEncoder() {
    }

    /** A response frame with the header version {@code api} uses at {@code version}. */
    public static EncodedFrame encodeResponse(int correlationId, short version, ApiMessage body) {
        return encodeResponse(correlationId, version, body, HEAP);
    }

    /**
     * As {@link #encodeResponse(int, short, ApiMessage)}, with the fields' buffer from
     * {@code allocator} (given the exact capacity needed).
     */
    public static EncodedFrame encodeResponse(int correlationId, short version, ApiMessage body,
                                              IntFunction<ByteBuffer> allocator) {
        ApiKey api = body.apiKey();
        short headerVersion = api.responseHeaderVersion(version);
        MessageSize size = new MessageSize();
        size.add(FrameLength.PREFIX_BYTES + ResponseHeader.size(headerVersion));
        body.addSize(size, version);
        ProtocolWriter writer = start(size, allocator);
        ResponseHeader.write(writer, correlationId, headerVersion);
        body.write(writer, version);
        return writer.finish(size.totalSize());
    }

    /** A request frame; the header's api key must be the body's. */
    public static EncodedFrame encodeRequest(RequestHeader header, ApiMessage body) {
        if (header.api() != body.apiKey()) {
            throw new IllegalArgumentException("header is for api key " + header.apiKey() + " but the body is "
                    + body.apiKey());
        }
        MessageSize size = new MessageSize();
        size.add(FrameLength.PREFIX_BYTES);
        header.addSize(size);
        body.addSize(size, header.apiVersion());
        ProtocolWriter writer = start(size, HEAP);
        header.write(writer);
        body.write(writer, header.apiVersion());
        return writer.finish(size.totalSize());
    }

    private static ProtocolWriter start(MessageSize size, IntFunction<ByteBuffer> allocator) {
        int fieldBytes = size.totalSize() - size.recordsSize();
        ByteBuffer buf = allocator.apply(fieldBytes);
        if (buf.position() != 0 || buf.limit() != fieldBytes) {
            throw new IllegalArgumentException("allocator must return a buffer with position 0 and limit "
                    + fieldBytes);
        }
        ProtocolWriter writer = new ProtocolWriter(buf);
        writer.writeInt32(size.totalSize() - FrameLength.PREFIX_BYTES);
        return writer;
    }
}

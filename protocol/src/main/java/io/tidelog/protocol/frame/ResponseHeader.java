package io.tidelog.protocol.frame;

import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.types.ProtocolReader;
import io.tidelog.protocol.types.ProtocolWriter;

import java.nio.ByteBuffer;

/**
 * Response header v0: {@code correlationId int32}; v1 adds tagged fields (none known, skipped).
 * Which version a response uses is {@link io.tidelog.protocol.ApiKey#responseHeaderVersion}:
 * the ApiVersions response always uses v0.
 */
public final class ResponseHeader {

    private ResponseHeader() {
    }

    /** The correlation id at the start of a response frame (after the size prefix), not moving it. */
    public static int peekCorrelationId(ByteBuffer frame) {
        if (frame.remaining() < 4) {
            throw new ProtocolDecodeException("response frame of " + frame.remaining()
                    + " bytes has no correlation id");
        }
        return frame.getInt(frame.position());
    }

    /** Reads a header of {@code headerVersion} and returns its correlation id. */
    public static int read(ProtocolReader reader, short headerVersion) {
        int correlationId = reader.readInt32();
        if (headerVersion >= 1) {
            reader.skipTaggedFields();
        }
        return correlationId;
    }

    public static int size(short headerVersion) {
        return headerVersion >= 1 ? 5 : 4;
    }

    public static void write(ProtocolWriter writer, int correlationId, short headerVersion) {
        writer.writeInt32(correlationId);
        if (headerVersion >= 1) {
            writer.writeUnsignedVarint(0);
        }
    }
}

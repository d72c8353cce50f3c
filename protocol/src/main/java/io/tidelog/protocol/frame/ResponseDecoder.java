package io.tidelog.protocol.frame;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ApiMessages;
import io.tidelog.protocol.types.ProtocolReader;

import java.nio.ByteBuffer;

/**
 * The clients' entry point for a response frame (the bytes after the 4-byte size). A response
 * does not say what it answers: the caller passes the API and version of the request it matched
 * by correlation id ({@link ResponseHeader#peekCorrelationId}).
 */
public final class ResponseDecoder {

    /** A decoded response: its correlation id and body. */
    public record DecodedResponse(int correlationId, ApiMessage body) {
    }

    private ResponseDecoder() {
    }

    /**
     * @throws ProtocolDecodeException when the frame is malformed
     */
    public static DecodedResponse decode(ByteBuffer frame, ApiKey api, short version) {
        ProtocolReader reader = new ProtocolReader(frame);
        int correlationId = ResponseHeader.read(reader, api.responseHeaderVersion(version));
        int bodyStart = frame.position();
        try {
            return new DecodedResponse(correlationId, readBody(reader, api, version));
        } catch (ProtocolDecodeException e) {
            if (api != ApiKey.API_VERSIONS || version == 0 || !isUnsupportedVersionAnswer(frame, bodyStart)) {
                throw e;
            }
            // A broker that does not support the version asked for answers in v0 format.
            frame.position(bodyStart);
            return new DecodedResponse(correlationId, readBody(new ProtocolReader(frame), api, (short) 0));
        }
    }

    private static ApiMessage readBody(ProtocolReader reader, ApiKey api, short version) {
        ApiMessage body = ApiMessages.readResponse(api, reader, version);
        reader.requireEnd(api.apiName() + " response v" + version);
        return body;
    }

    private static boolean isUnsupportedVersionAnswer(ByteBuffer frame, int bodyStart) {
        return frame.limit() - bodyStart >= 2 && frame.getShort(bodyStart) == Errors.UNSUPPORTED_VERSION.code();
    }
}

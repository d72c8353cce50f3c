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
        short bodyVersion = version;
        if (api == ApiKey.API_VERSIONS && isUnsupportedVersionAnswer(frame)) {
            // A broker that does not support the version asked for answers in v0 format.
            bodyVersion = 0;
        }
        ApiMessage body = ApiMessages.readResponse(api, reader, bodyVersion);
        reader.requireEnd(api.apiName() + " response v" + bodyVersion);
        return new DecodedResponse(correlationId, body);
    }

    private static boolean isUnsupportedVersionAnswer(ByteBuffer body) {
        return body.remaining() >= 2 && body.getShort(body.position()) == Errors.UNSUPPORTED_VERSION.code();
    }
}

package io.tidelog.protocol.frame;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ApiMessages;
import io.tidelog.protocol.types.ProtocolReader;

import java.nio.ByteBuffer;

/**
 * The broker's entry point for an incoming request frame (the bytes after the 4-byte size).
 *
 * <p>Reads the header first, so the API key, version and correlation id are known even when the
 * body cannot be decoded; then the body, which must use up the frame exactly. Records in the body
 * (Produce) are slices of {@code frame}: they are valid as long as the frame's memory is.
 */
public final class RequestDecoder {

    private RequestDecoder() {
    }

    /**
     * @throws ProtocolDecodeException when the frame is malformed (the connection should be closed)
     */
    public static DecodedRequest decode(ByteBuffer frame) {
        ProtocolReader reader = new ProtocolReader(frame);
        RequestHeader header = RequestHeader.read(reader);
        ApiKey api = header.api();
        if (api == null) {
            return new DecodedRequest(DecodedRequest.Status.UNKNOWN_API_KEY, header, null);
        }
        if (!api.isDecodable(header.apiVersion()) || !ApiMessages.hasRequestCodec(api)) {
            return new DecodedRequest(DecodedRequest.Status.UNSUPPORTED_VERSION, header, null);
        }
        ApiMessage body = ApiMessages.readRequest(api, reader, header.apiVersion());
        reader.requireEnd(api.apiName() + " request v" + header.apiVersion());
        return new DecodedRequest(DecodedRequest.Status.OK, header, body);
    }
}

package io.tidelog.protocol.frame;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.types.MessageSize;
import io.tidelog.protocol.types.ProtocolReader;
import io.tidelog.protocol.types.ProtocolWriter;

/**
 * Request header v1/v2: {@code apiKey int16, apiVersion int16, correlationId int32, clientId}
 * (a nullable string with an int16 length, never compact, even in v2); v2 adds tagged fields,
 * none of which Tidelog knows, so they are skipped. (v0, without clientId, is no longer sent by
 * any client Tidelog supports.)
 *
 * <p>{@code apiKey} is the raw wire id so a header of an API Tidelog does not know can still be
 * read and answered; {@link #api()} maps it.
 */
public record RequestHeader(short apiKey, short apiVersion, int correlationId, String clientId) {

    /** The API, or null when Tidelog does not know this key. */
    public ApiKey api() {
        return ApiKey.forId(apiKey);
    }

    /**
     * Header version of a request with this key and version: as the API says; 1 for an unknown
     * API (its first four fields are the same in every header version).
     */
    public static short headerVersion(short apiKey, short apiVersion) {
        ApiKey api = ApiKey.forId(apiKey);
        return api == null ? 1 : api.requestHeaderVersion(apiVersion);
    }

    public short headerVersion() {
        return headerVersion(apiKey, apiVersion);
    }

    /** Reads a header, working out its version from the key and version it starts with. */
    public static RequestHeader read(ProtocolReader reader) {
        short apiKey = reader.readInt16();
        short apiVersion = reader.readInt16();
        int correlationId = reader.readInt32();
        String clientId = reader.readNullableString(false, "clientId");
        if (headerVersion(apiKey, apiVersion) >= 2) {
            reader.skipTaggedFields();
        }
        return new RequestHeader(apiKey, apiVersion, correlationId, clientId);
    }

    public void addSize(MessageSize size) {
        size.add(8 + ProtocolWriter.sizeOfNullableString(clientId, false, "clientId"));
        if (headerVersion() >= 2) {
            size.add(1);
        }
    }

    public void write(ProtocolWriter writer) {
        writer.writeInt16(apiKey);
        writer.writeInt16(apiVersion);
        writer.writeInt32(correlationId);
        writer.writeNullableString(clientId, false);
        if (headerVersion() >= 2) {
            writer.writeUnsignedVarint(0);
        }
    }
}

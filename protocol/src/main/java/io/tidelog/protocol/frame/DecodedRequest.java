package io.tidelog.protocol.frame;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.message.ApiMessage;

/**
 * A request frame as the broker sees it: always its header, and its body when the API and
 * version are ones Tidelog decodes. {@link #status()} says which, so the broker can answer
 * UNSUPPORTED_VERSION (or close the connection for an unknown API) without catching exceptions.
 */
public record DecodedRequest(Status status, RequestHeader header, ApiMessage body) {

    public enum Status {
        /** Header and body decoded. */
        OK,
        /** The API key is not one Tidelog knows; body is null. */
        UNKNOWN_API_KEY,
        /** The API is known but this version is not decodable; body is null. */
        UNSUPPORTED_VERSION
    }

    /** The API, or null for {@link Status#UNKNOWN_API_KEY}. */
    public ApiKey api() {
        return header.api();
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public int correlationId() {
        return header.correlationId();
    }
}

package io.tidelog.protocol.message;

import io.tidelog.protocol.ApiKey;

/**
 * A request or response body: a {@link ProtocolMessage} that belongs to an API.
 * {@link ApiMessages} dispatches to each class's static {@code read(ProtocolReader, short)} by API
 * key.
 */
public interface ApiMessage extends ProtocolMessage {

    ApiKey apiKey();
}

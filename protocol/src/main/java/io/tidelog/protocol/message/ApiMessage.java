package io.tidelog.protocol.message;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.types.MessageSize;
import io.tidelog.protocol.types.ProtocolWriter;

/**
 * A request or response body. Each class also has a static {@code read(ProtocolReader, short)};
 * {@link ApiMessages} dispatches to them by API key.
 *
 * <p>Encoding is two passes: {@link #addSize} computes the exact size, then {@link #write} fills a
 * buffer of that size. Writing a field the version does not have fails if its value is not the
 * default (unless the field is ignorable), as Kafka's own encoder does.
 */
public interface ApiMessage {

    ApiKey apiKey();

    void addSize(MessageSize size, short version);

    void write(ProtocolWriter writer, short version);

    /** Encoded size of this message at {@code version}, records included. */
    default int size(short version) {
        MessageSize size = new MessageSize();
        addSize(size, version);
        return size.totalSize();
    }
}

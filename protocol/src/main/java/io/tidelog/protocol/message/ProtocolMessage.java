package io.tidelog.protocol.message;

import io.tidelog.protocol.types.MessageSize;
import io.tidelog.protocol.types.ProtocolWriter;

/**
 * A versioned struct of the Kafka protocol: a request or response body ({@link ApiMessage}), or a
 * data struct carried inside another message's bytes (the consumer protocol's subscription and
 * assignment). Each class also has a static {@code read(ProtocolReader, short)}.
 *
 * <p>Encoding is two passes: {@link #addSize} computes the exact size, then {@link #write} fills a
 * buffer of that size. Writing a field the version does not have fails if its value is not the
 * default (unless the field is ignorable), as Kafka's own encoder does.
 */
public interface ProtocolMessage {

    void addSize(MessageSize size, short version);

    void write(ProtocolWriter writer, short version);

    /** Encoded size of this message at {@code version}, records included. */
    default int size(short version) {
        MessageSize size = new MessageSize();
        addSize(size, version);
        return size.totalSize();
    }
}

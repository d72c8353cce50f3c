package io.tidelog.broker.metadata;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * Random 128-bit identifiers in Kafka's textual form: URL-safe base64 without padding
 * (22 characters). Used for the cluster id and topic ids.
 */
public final class ClusterIds {

    private ClusterIds() {
    }

    /** A random id that is not the zero UUID and whose text does not start with '-' (confusing on a command line). */
    public static UUID randomUuid() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            if ((uuid.getMostSignificantBits() != 0 || uuid.getLeastSignificantBits() > 1)
                    && !toText(uuid).startsWith("-")) {
                return uuid;
            }
        }
    }

    public static String random() {
        return toText(randomUuid());
    }

    public static String toText(UUID uuid) {
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    public static UUID fromText(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text));
        if (bytes.remaining() != 16) {
            throw new IllegalArgumentException("not a 16-byte id: " + text);
        }
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}

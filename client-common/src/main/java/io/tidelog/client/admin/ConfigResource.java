package io.tidelog.client.admin;

import java.util.Objects;

/** Something with configuration: a topic (by name) or a broker (by node id as a string). */
public record ConfigResource(Type type, String name) {

    /** Resource types with their wire ids. */
    public enum Type {
        TOPIC(2), BROKER(4);

        private final byte id;

        Type(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }
    }

    public ConfigResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static ConfigResource topic(String topic) {
        return new ConfigResource(Type.TOPIC, topic);
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "'";
    }
}

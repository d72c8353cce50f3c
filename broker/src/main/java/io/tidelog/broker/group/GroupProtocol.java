package io.tidelog.broker.group;

import java.util.Arrays;

/** One protocol a member supports (e.g. an assignor name) and its opaque metadata for it. */
public record GroupProtocol(String name, byte[] metadata) {

    public GroupProtocol {
        metadata = metadata == null ? new byte[0] : metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupProtocol p && name.equals(p.name) && Arrays.equals(metadata, p.metadata);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(metadata);
    }

    @Override
    public String toString() {
        return name + "(" + metadata.length + "B)";
    }
}

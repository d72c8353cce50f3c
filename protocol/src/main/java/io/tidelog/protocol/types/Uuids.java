package io.tidelog.protocol.types;

import java.util.UUID;

/** Kafka's topic ids are UUIDs; the all-zero one means "no id" (and is the default). */
public final class Uuids {

    public static final UUID ZERO = new UUID(0L, 0L);

    private Uuids() {
    }
}

package io.tidelog.client.producer;

/**
 * Turns a key or value into bytes. {@code null} stays {@code null} (a null key or value on the
 * wire). Implementations must be thread-safe: every application thread calling send uses them.
 */
@FunctionalInterface
public interface Serializer<T> {

    byte[] serialize(String topic, T data);
}

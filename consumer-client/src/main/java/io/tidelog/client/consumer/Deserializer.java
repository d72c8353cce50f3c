package io.tidelog.client.consumer;

/**
 * Turns the bytes of a key or value into an object. {@code data} is null for a null key or
 * value; return null then (or a value that stands for absence). Runs on the thread calling poll.
 */
@FunctionalInterface
public interface Deserializer<T> {

    T deserialize(String topic, byte[] data);
}

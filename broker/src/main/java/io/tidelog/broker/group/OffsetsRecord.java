package io.tidelog.broker.group;

/** One record for {@code __consumer_offsets}: key and value ({@code null} = tombstone). */
record OffsetsRecord(byte[] key, byte[] value) {
}

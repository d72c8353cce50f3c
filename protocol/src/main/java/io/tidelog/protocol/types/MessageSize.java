package io.tidelog.protocol.types;

/**
 * Accumulates the encoded size of a message: all bytes, and the part of them that are records
 * payloads. Records are not copied into the encoding buffer, so the buffer holds
 * {@code totalSize() - recordsSize()} bytes.
 */
public final class MessageSize {

    private int totalSize;
    private int recordsSize;

    public void add(int bytes) {
        totalSize = Math.addExact(totalSize, bytes);
    }

    public void addRecords(int bytes) {
        add(bytes);
        recordsSize += bytes;
    }

    public int totalSize() {
        return totalSize;
    }

    public int recordsSize() {
        return recordsSize;
    }
}

package io.tidelog.protocol.record;

/**
 * The record-batch bytes of one partition in a Produce request or a Fetch response, wherever they
 * live: in a network buffer ({@link MemoryRecords}) or in a segment file
 * ({@link FileRegionRecords}). Codecs only need the size; the network layer moves the bytes
 * (a file region goes out with sendfile, never through the heap).
 */
public interface Records {

    /** Number of bytes these records occupy on the wire. */
    int sizeInBytes();
}

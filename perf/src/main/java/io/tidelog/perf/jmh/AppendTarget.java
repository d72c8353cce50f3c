package io.tidelog.perf.jmh;

/** What an append benchmark writes through: one of the two mapped backends, or the channel baseline. */
public enum AppendTarget {
    NIO,
    CHRONICLE,
    FILE_CHANNEL
}

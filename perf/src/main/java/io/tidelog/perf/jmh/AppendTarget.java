package io.tidelog.perf.jmh;

/** What an append benchmark writes through: one of the two mapped backends, or the channel baseline. */
public enum AppendTarget {
    NIO,
    CHRONICLE,
    FILE_CHANNEL,
    /**
     * NIO without {@code reserve}: not something the broker may do (a full disk would SIGBUS the
     * JVM), measured only to put a price on the reservation.
     */
    NIO_UNRESERVED
}

package io.tidelog.perf.load;

/**
 * Hands one record value to a producer. Implementations call {@code done} exactly once, from any
 * thread, when the send completed; they may block while the producer has no room (that stall is
 * what the fixed-rate schedule accounts for).
 */
@FunctionalInterface
public interface RecordSender {

    void send(byte[] value, SendCompletion done);

    /** The outcome of one send: the partition and offset it got, or the failure. */
    interface SendCompletion {

        void acknowledged(int partition, long offset);

        void failed(Exception cause);
    }
}

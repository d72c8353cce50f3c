package io.tidelog.client.consumer;

/**
 * A blocking call (position, committed, commitSync, beginningOffsets, close, ...) ran out of
 * time before the cluster answered. The message names what was awaited and what to check.
 */
public class ConsumerTimeoutException extends ConsumerException {

    public ConsumerTimeoutException(String message) {
        super(message);
    }

    public ConsumerTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}

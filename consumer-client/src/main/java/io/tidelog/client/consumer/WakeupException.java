package io.tidelog.client.consumer;

/**
 * Thrown by a blocking consumer call after another thread called {@link Consumer#wakeup()}.
 * Not a failure: the usual way to stop a poll loop is to catch it and close the consumer.
 */
public class WakeupException extends ConsumerException {

    public WakeupException() {
        super("the consumer was woken up by Consumer.wakeup()");
    }
}

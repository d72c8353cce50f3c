package io.tidelog.client.consumer;

/**
 * No broker of {@code bootstrap.servers} (or none of the cluster's brokers) answered within the
 * call's timeout. The message lists the addresses tried and the last connection error.
 */
public class BrokerUnreachableException extends ConsumerTimeoutException {

    public BrokerUnreachableException(String message) {
        super(message);
    }
}

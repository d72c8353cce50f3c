package io.tidelog.client.consumer;

/**
 * A request was lost with its connection (broker gone, restarted, or silent past
 * {@code request.timeout.ms}). Retriable: the consumer retries it internally until the calling
 * method's timeout; it reaches the application only as the cause of a timeout.
 */
final class NetworkFailureException extends ConsumerException {

    NetworkFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.tidelog.client.consumer;

/**
 * Another consumer joined the group with this consumer's {@code group.instance.id} (static
 * membership) and replaced it. Give each running consumer a distinct group.instance.id.
 */
public class FencedInstanceIdException extends ConsumerException {

    public FencedInstanceIdException(String message) {
        super(message);
    }
}

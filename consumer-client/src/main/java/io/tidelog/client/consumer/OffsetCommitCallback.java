package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.util.Map;

/** Told the outcome of {@link Consumer#commitAsync}; runs on the thread calling poll. */
@FunctionalInterface
public interface OffsetCommitCallback {

    /**
     * @param offsets what was (or was to be) committed
     * @param exception null on success, else a {@link ConsumerException} saying why it failed
     */
    void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception exception);
}

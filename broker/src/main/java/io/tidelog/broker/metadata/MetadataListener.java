package io.tidelog.broker.metadata;

import java.io.IOException;

/**
 * Applies a metadata change (creates or deletes partition logs). Called on the control thread,
 * in the order changes were made, after the new image is durable.
 */
@FunctionalInterface
public interface MetadataListener {

    void onMetadataChange(MetadataImage previous, MetadataImage next) throws IOException;
}

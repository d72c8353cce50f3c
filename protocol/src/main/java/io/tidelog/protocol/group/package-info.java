/**
 * What the classic group protocol carries as opaque bytes: {@link io.tidelog.protocol.group.ConsumerProtocol}
 * reads and writes the consumer protocol's subscription and assignment (version-prefixed structs
 * generated from {@code messages.schema}).
 */
package io.tidelog.protocol.group;

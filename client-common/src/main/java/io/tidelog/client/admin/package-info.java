/**
 * Tidelog's admin client: {@link io.tidelog.client.admin.TidelogAdmin} creates, describes, alters
 * and deletes topics, reads offsets and configuration, and lists, describes, resets and deletes
 * consumer groups, over the Kafka protocol (so it works against Apache Kafka brokers too).
 *
 * <p>Calls block the caller's thread on the shared connection layer
 * ({@link io.tidelog.client.common.NetworkClient}); results are small immutable records
 * ({@link io.tidelog.client.admin.TopicDescription}, {@link io.tidelog.client.admin.GroupDescription}, ...);
 * failures are {@link io.tidelog.client.admin.AdminException} subtypes whose messages are written
 * for the operator who reads them. The {@code tidelog} CLI and the perf tool are built on it.
 */
package io.tidelog.client.admin;

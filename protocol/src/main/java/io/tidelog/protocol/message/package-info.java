/**
 * Typed Kafka request and response bodies, one class per message, generated from
 * {@code messages.schema} (in this directory) by {@code io.tidelog.protocol.generator.MessageGenerator}
 * (protocol test sources). Field names are those of Kafka's protocol documentation; structs are
 * nested classes; getters are {@code name()}, fluent setters {@code setName(value)}.
 *
 * <p>Each message has {@code static read(ProtocolReader, short version)},
 * {@code addSize(MessageSize, short)} and {@code write(ProtocolWriter, short)}. Reading is bounds
 * checked and fails only with {@link io.tidelog.protocol.ProtocolDecodeException}; fields the
 * version lacks keep Kafka's default. Produce and Fetch {@code records} are
 * {@link io.tidelog.protocol.record.Records}: decoding yields slices of the frame, encoding emits
 * them as separate parts of an {@link io.tidelog.protocol.frame.EncodedFrame}.
 *
 * <p>Besides request and response bodies ({@link io.tidelog.protocol.message.ApiMessage}), the
 * schema holds data structs ({@link io.tidelog.protocol.message.ProtocolMessage} only) that travel
 * as bytes inside other messages: {@code ConsumerProtocolSubscription} and
 * {@code ConsumerProtocolAssignment}, read and written with their version prefix by
 * {@link io.tidelog.protocol.group.ConsumerProtocol}.
 *
 * <p>Adding an API: add its range to {@link io.tidelog.protocol.ApiKey} and its request and
 * response to {@code messages.schema}, run
 * {@code mvn -o -q -pl protocol test -Dtest=GeneratedMessagesAreCurrentTest -Dtidelog.regenerate=true},
 * and the oracle, defaults and fuzz tests cover the new messages at every version automatically
 * ({@code OracleCoverageTest} fails if kafka-clients' class lacks one of the versions).
 */
package io.tidelog.protocol.message;

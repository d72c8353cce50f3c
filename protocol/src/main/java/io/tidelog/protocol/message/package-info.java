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
 * <p>Adding an API (e.g. the group APIs, whose ranges {@link io.tidelog.protocol.ApiKey} already
 * holds): add its request and response to {@code messages.schema}, run
 * {@code mvn -o -q -pl protocol test -Dtest=GeneratedMessagesAreCurrentTest -Dtidelog.regenerate=true},
 * and the oracle, defaults and fuzz tests cover the new messages at every version automatically.
 */
package io.tidelog.protocol.message;

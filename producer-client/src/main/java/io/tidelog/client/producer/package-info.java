/**
 * Tidelog's producer: {@link io.tidelog.client.producer.TidelogProducer} batches records per
 * partition straight into record batch v2 buffers and sends them over one pipelined connection per
 * broker from a single I/O thread (the sender). Idempotent by default.
 *
 * <pre>{@code
 * try (Producer<String, String> producer = new TidelogProducer<>(
 *         Map.of("bootstrap.servers", "127.0.0.1:9092"), Serializers.string(), Serializers.string())) {
 *     RecordMetadata metadata = producer.send(new ProducerRecord<>("orders", "k", "v")).get();
 * }
 * }</pre>
 */
package io.tidelog.client.producer;

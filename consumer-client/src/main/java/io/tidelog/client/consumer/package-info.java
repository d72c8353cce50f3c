/**
 * Tidelog's consumer: {@link io.tidelog.client.consumer.TidelogConsumer} reads partitions it is
 * assigned or shares them as a member of a classic consumer group, with Kafka's configuration
 * names and assignor names, so it can join groups together with Kafka's own consumer.
 *
 * <pre>{@code
 * try (Consumer<String, String> consumer = new TidelogConsumer<>(
 *         Map.of("bootstrap.servers", "127.0.0.1:9092", "group.id", "billing"),
 *         Deserializers.string(), Deserializers.string())) {
 *     consumer.subscribe(List.of("orders"));
 *     while (running) {
 *         for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
 *             handle(record);
 *         }
 *     }
 * }
 * }</pre>
 */
package io.tidelog.client.consumer;

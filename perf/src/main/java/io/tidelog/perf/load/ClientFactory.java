package io.tidelog.perf.load;

import io.tidelog.client.consumer.Consumer;
import io.tidelog.client.consumer.Deserializers;
import io.tidelog.client.consumer.TidelogConsumer;
import io.tidelog.client.producer.Producer;
import io.tidelog.client.producer.ProducerRecord;
import io.tidelog.client.producer.Serializers;
import io.tidelog.client.producer.TidelogProducer;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes our own producers and consumers for a workload: its client properties, with the
 * workload's bootstrap servers and a client id naming the tool. Settings the tool relies on
 * (byte-array values, manual assignment without commits) are fixed here; everything else is the
 * workload's to choose.
 */
final class ClientFactory {

    private final Workload workload;

    ClientFactory(Workload workload) {
        this.workload = workload;
    }

    Producer<byte[], byte[]> producer(int producerId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("client.id", "tidelog-perf-producer-" + producerId);
        settings.putAll(workload.producerProperties());
        settings.put("bootstrap.servers", workload.bootstrapServers());
        return new TidelogProducer<>(settings, Serializers.byteArray(), Serializers.byteArray());
    }

    /** A consumer for manual assignment: no group, no commits; out-of-range positions restart at the earliest record. */
    Consumer<byte[], byte[]> consumer(String name) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("client.id", "tidelog-perf-" + name);
        settings.put("auto.offset.reset", "earliest");
        settings.putAll(workload.consumerProperties());
        settings.put("bootstrap.servers", workload.bootstrapServers());
        settings.put("enable.auto.commit", "false");
        return new TidelogConsumer<>(settings, Deserializers.byteArray(), Deserializers.byteArray());
    }

    /** Sends through {@code producer} to the workload's topic, letting the partitioner choose. */
    RecordSender sender(Producer<byte[], byte[]> producer) {
        String topic = workload.topic();
        return (value, done) -> producer.send(new ProducerRecord<>(topic, value), (metadata, exception) -> {
            if (exception == null) {
                done.acknowledged(metadata.partition(), metadata.offset());
            } else {
                done.failed(exception);
            }
        });
    }
}

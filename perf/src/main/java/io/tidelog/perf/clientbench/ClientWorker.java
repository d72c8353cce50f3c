package io.tidelog.perf.clientbench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.tidelog.client.consumer.ConsumerRecord;
import io.tidelog.client.consumer.Deserializers;
import io.tidelog.client.consumer.TidelogConsumer;
import io.tidelog.client.producer.ProducerRecord;
import io.tidelog.client.producer.Serializers;
import io.tidelog.client.producer.TidelogProducer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One measured client run in a JVM of its own, so that the process's CPU time is the client's
 * alone: {@code produce <ours|kafka> <bootstrap> <topic> <records> <acks>} or
 * {@code consume <ours|kafka> <bootstrap> <topic> <records> <partitions>}.
 *
 * <p>Prints one line {@code CLIENTBENCH records=N elapsed_ns=E cpu_ns=C failed=F} on stdout, where
 * {@code cpu_ns} is this process's CPU time (all threads, user + system, GC and JIT included) from
 * just before the client is created until it is closed, and {@code elapsed_ns} is the wall time
 * from the first send (or poll) until every record was acknowledged (or read). Both clients get the
 * same settings: 100-byte values without keys, batch.size 65536, linger.ms 5, no compression,
 * each client's defaults for everything else (both idempotent with acks=all, neither with acks=1).
 */
public final class ClientWorker {

    static final String RESULT_PREFIX = "CLIENTBENCH ";
    static final int RECORD_BYTES = 100;
    private static final Duration CONSUME_DEADLINE = Duration.ofMinutes(5);

    private ClientWorker() {
    }

    public static void main(String[] args) {
        if (args.length != 6) {
            System.err.println("usage: ClientWorker produce|consume ours|kafka <bootstrap> <topic> <records> <acks|partitions>");
            System.exit(2);
        }
        String mode = args[0];
        boolean ours = switch (args[1]) {
            case "ours" -> true;
            case "kafka" -> false;
            default -> throw new IllegalArgumentException("client must be ours or kafka, not " + args[1]);
        };
        String bootstrap = args[2];
        String topic = args[3];
        long records = Long.parseLong(args[4]);
        long cpuBefore = processCpuNanos();
        Measured measured = switch (mode) {
            case "produce" -> ours ? produceOurs(bootstrap, topic, records, args[5])
                    : produceKafka(bootstrap, topic, records, args[5]);
            case "consume" -> ours ? consumeOurs(bootstrap, topic, records, Integer.parseInt(args[5]))
                    : consumeKafka(bootstrap, topic, records, Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("mode must be produce or consume, not " + mode);
        };
        long cpu = processCpuNanos() - cpuBefore;
        System.out.println(RESULT_PREFIX + "records=" + measured.records + " elapsed_ns=" + measured.elapsedNanos
                + " cpu_ns=" + cpu + " failed=" + measured.failed);
        System.exit(measured.failed == 0 && measured.records == records ? 0 : 1);
    }

    private record Measured(long records, long elapsedNanos, long failed) {
    }

    static Map<String, Object> producerSettings(String bootstrap, String acks) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("acks", acks);
        settings.put("batch.size", "65536");
        settings.put("linger.ms", "5");
        settings.put("compression.type", "none");
        settings.put("client.id", "clientbench-producer");
        return settings;
    }

    static Map<String, Object> consumerSettings(String bootstrap) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("enable.auto.commit", "false");
        settings.put("auto.offset.reset", "earliest");
        settings.put("client.id", "clientbench-consumer");
        return settings;
    }

    static byte[] value() {
        byte[] value = new byte[RECORD_BYTES];
        new Random(42).nextBytes(value);
        return value;
    }

    private static Measured produceOurs(String bootstrap, String topic, long records, String acks) {
        byte[] value = value();
        AtomicLong failed = new AtomicLong();
        long start;
        long end;
        try (TidelogProducer<byte[], byte[]> producer = new TidelogProducer<>(producerSettings(bootstrap, acks),
                Serializers.byteArray(), Serializers.byteArray())) {
            io.tidelog.client.producer.Callback callback = (metadata, exception) -> {
                if (exception != null) {
                    failed.incrementAndGet();
                }
            };
            start = System.nanoTime();
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, value), callback);
            }
            producer.flush();
            end = System.nanoTime();
        }
        return new Measured(records, end - start, failed.get());
    }

    private static Measured produceKafka(String bootstrap, String topic, long records, String acks) {
        byte[] value = value();
        AtomicLong failed = new AtomicLong();
        long start;
        long end;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(bootstrap, acks),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            org.apache.kafka.clients.producer.Callback callback = (metadata, exception) -> {
                if (exception != null) {
                    failed.incrementAndGet();
                }
            };
            start = System.nanoTime();
            for (long i = 0; i < records; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, value), callback);
            }
            producer.flush();
            end = System.nanoTime();
        }
        return new Measured(records, end - start, failed.get());
    }

    private static Measured consumeOurs(String bootstrap, String topic, long records, int partitions) {
        List<io.tidelog.client.common.TopicPartition> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(new io.tidelog.client.common.TopicPartition(topic, p));
        }
        long read = 0;
        long bytes = 0;
        long start;
        long end;
        try (TidelogConsumer<byte[], byte[]> consumer = new TidelogConsumer<>(consumerSettings(bootstrap),
                Deserializers.byteArray(), Deserializers.byteArray())) {
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            start = System.nanoTime();
            long deadline = start + CONSUME_DEADLINE.toNanos();
            while (read < records && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    read++;
                    bytes += record.value().length;
                }
            }
            end = System.nanoTime();
        }
        return new Measured(read, end - start, bytes == read * RECORD_BYTES ? 0 : 1);
    }

    private static Measured consumeKafka(String bootstrap, String topic, long records, int partitions) {
        List<TopicPartition> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(new TopicPartition(topic, p));
        }
        long read = 0;
        long bytes = 0;
        long start;
        long end;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            start = System.nanoTime();
            long deadline = start + CONSUME_DEADLINE.toNanos();
            while (read < records && System.nanoTime() < deadline) {
                for (org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record
                        : consumer.poll(Duration.ofMillis(100))) {
                    read++;
                    bytes += record.value().length;
                }
            }
            end = System.nanoTime();
        }
        return new Measured(read, end - start, bytes == read * RECORD_BYTES ? 0 : 1);
    }

    /** CPU time of this whole process (every thread), via the JDK's OperatingSystemMXBean. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}

package io.tidelog.client.producer;

import io.tidelog.client.common.Clock;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.Errors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Tidelog producer. {@code send} serializes, picks the partition (waiting up to
 * {@code max.block.ms} for the topic's metadata), and appends to that partition's open batch in
 * the {@link RecordAccumulator}; the {@link Sender} thread ships ready batches. Futures and
 * callbacks complete on the sender thread.
 *
 * <p>Failures are never thrown from {@code send}: they complete the returned future
 * exceptionally with a {@link ProducerException} subtype (timeout, record too large, broker
 * error, closed). Only a bad configuration throws, from the constructor.
 */
public final class TidelogProducer<K, V> implements Producer<K, V> {

    private final ProducerConfig config;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Clock clock;
    private final ClusterMetadata metadata = new ClusterMetadata();
    private final RecordAccumulator accumulator;
    private final StickyPartitioner partitioner;
    private final Sender sender;
    private final Thread senderThread;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Serializers from {@code key.serializer}/{@code value.serializer}. */
    public TidelogProducer(Map<String, ?> settings) {
        this(ProducerConfig.from(settings), null, null, Clock.SYSTEM);
    }

    public TidelogProducer(Map<String, ?> settings, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(ProducerConfig.from(settings), keySerializer, valueSerializer, Clock.SYSTEM);
    }

    public TidelogProducer(Properties settings, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(ProducerConfig.from(settings), keySerializer, valueSerializer, Clock.SYSTEM);
    }

    @SuppressWarnings("unchecked")
    TidelogProducer(ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer, Clock clock) {
        this.config = config;
        this.keySerializer = keySerializer != null ? keySerializer
                : (Serializer<K>) serializerFromConfig(ProducerConfig.KEY_SERIALIZER, config.keySerializerClass());
        this.valueSerializer = valueSerializer != null ? valueSerializer
                : (Serializer<V>) serializerFromConfig(ProducerConfig.VALUE_SERIALIZER, config.valueSerializerClass());
        this.clock = clock;
        this.partitioner = new StickyPartitioner(config.partitionerIgnoreKeys());
        BufferBudget budget = new BufferBudget(config.bufferMemory());
        this.accumulator = new RecordAccumulator(config.batchSize(), config.lingerMs(), budget, clock,
                this::wakeSender);
        try {
            this.sender = new Sender(config, accumulator, metadata, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the producer's selector", e);
        }
        this.senderThread = new Thread(sender, "tidelog-producer-sender-" + config.clientId());
        senderThread.setDaemon(true);
        senderThread.start();
    }

    /** Memory is short: the sender should ship batches now rather than let them linger. */
    private void wakeSender() {
        Sender current = sender;
        if (current != null) {
            current.wakeup();
        }
    }

    private static Serializer<?> serializerFromConfig(String key, String className) {
        if (className == null) {
            throw new ConfigException(key, null, "required unless a Serializer is passed to the constructor");
        }
        return Serializers.forClassName(key, className);
    }

    public ProducerConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            doSend(record, callback, future);
        } catch (ProducerException e) {
            failNow(future, callback, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failNow(future, callback, new ProducerException("interrupted while waiting to send to " + record.topic(), e));
        } catch (RuntimeException e) {
            failNow(future, callback, new ProducerException("cannot send to " + record.topic() + ": " + e, e));
        }
        return future;
    }

    private void doSend(ProducerRecord<K, V> record, Callback callback, CompletableFuture<RecordMetadata> future)
            throws InterruptedException {
        if (closed.get()) {
            throw new ProducerException("the producer is closed; create a new one to send more records");
        }
        if (!senderThread.isAlive()) {
            throw new ProducerException("the producer's sender thread stopped (" + sender.fatal()
                    + "); close this producer and create a new one");
        }
        long startMs = clock.milliseconds();
        int partitionCount = metadata.awaitPartitionCount(record.topic(), config.maxBlockMs(), clock, sender::wakeup);
        if (partitionCount < 0) {
            throw new ProducerTimeoutException(missingTopicMessage(record.topic()));
        }
        byte[] key = keySerializer.serialize(record.topic(), record.key());
        byte[] value = valueSerializer.serialize(record.topic(), record.value());
        int size = RecordSize.aloneInBatch(key, value, record.headers());
        if (size > config.maxRequestSize()) {
            throw new RecordTooLargeException("a record of about " + size + " bytes (in its batch) is larger than "
                    + "max.request.size=" + config.maxRequestSize() + "; raise max.request.size (and the topic's "
                    + "max.message.bytes) or send smaller records");
        }
        int partition = choosePartition(record, key, partitionCount);
        long timestamp = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
        long remainingBlockMs = Math.max(0, config.maxBlockMs() - (clock.milliseconds() - startMs));
        RecordAccumulator.AppendResult result = accumulator.append(new TopicPartition(record.topic(), partition),
                timestamp, key, value, record.headers(), future, callback, remainingBlockMs);
        if (result.batchCompleted() && record.partition() == null
                && (key == null || config.partitionerIgnoreKeys())) {
            partitioner.onBatchCompleted(record.topic(), partition, partitionCount);
        }
        if (result != RecordAccumulator.AppendResult.APPENDED) {
            sender.wakeup();
        }
    }

    private int choosePartition(ProducerRecord<K, V> record, byte[] key, int partitionCount) {
        if (record.partition() == null) {
            return partitioner.partition(record.topic(), key, partitionCount);
        }
        if (record.partition() >= partitionCount) {
            throw new ProducerException("partition " + record.partition() + " does not exist: topic "
                    + record.topic() + " has " + partitionCount + " partitions");
        }
        return record.partition();
    }

    private String missingTopicMessage(String topic) {
        String base = "topic '" + topic + "' not present in metadata after max.block.ms=" + config.maxBlockMs() + " ms: ";
        Errors error = metadata.topicError(topic);
        if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
            return base + "the broker says it does not exist; create it first (or enable auto.create.topics.enable "
                    + "on the broker)";
        }
        if (error != null && error != Errors.NONE) {
            return base + "the broker answered " + error;
        }
        IOException connectError = sender.lastConnectError();
        if (!metadata.everUpdated()) {
            return base + "no broker of bootstrap.servers=" + config.bootstrapServers().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList()
                    + " answered"
                    + (connectError == null ? "" : " (last error: " + connectError.getMessage() + ")")
                    + "; check the addresses and that a broker is running";
        }
        return base + "its partitions have no leader yet";
    }

    private static void failNow(CompletableFuture<RecordMetadata> future, Callback callback, ProducerException e) {
        if (callback != null) {
            callback.onCompletion(null, e);
        }
        future.completeExceptionally(e);
    }

    @Override
    public void flush() {
        accumulator.beginFlush();
        try {
            sender.wakeup();
            List<ProducerBatch> pending = accumulator.incompleteBatches();
            for (ProducerBatch batch : pending) {
                batch.completion.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProducerException("interrupted while flushing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("batch completion never fails", e);
        } finally {
            accumulator.endFlush();
        }
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE / 2));
    }

    @Override
    public void close(Duration timeout) {
        long timeoutMs = Math.max(0, timeout.toMillis());
        if (closed.compareAndSet(false, true)) {
            accumulator.beginClose();
            long nowMs = clock.milliseconds();
            sender.initiateClose(timeoutMs > Long.MAX_VALUE - nowMs ? Long.MAX_VALUE : nowMs + timeoutMs);
        }
        if (Thread.currentThread() == senderThread) {
            return;
        }
        try {
            senderThread.join(Math.max(1, Math.min(timeoutMs, Long.MAX_VALUE / 4)));
            if (senderThread.isAlive()) {
                sender.forceClose();
                senderThread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.forceClose();
        }
    }
}

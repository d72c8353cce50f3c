package io.tidelog.client.producer;

import io.tidelog.client.common.BrokerConnection;
import io.tidelog.client.common.Clock;
import io.tidelog.client.common.NetworkClient;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.InitProducerIdRequest;
import io.tidelog.protocol.message.InitProducerIdResponse;
import io.tidelog.protocol.message.MetadataRequest;
import io.tidelog.protocol.message.MetadataResponse;
import io.tidelog.protocol.message.ProduceRequest;
import io.tidelog.protocol.message.ProduceResponse;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.RecordBatchLayout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The producer's one I/O thread. Each turn of its loop it refreshes metadata when asked to,
 * obtains a producer id (idempotence), moves ready batches into one Produce request per leader
 * (within max.in.flight and max.request.size), fails batches past delivery.timeout.ms, and then
 * waits for the network or the next linger deadline.
 *
 * <p>All connection, sequence and producer-id state is confined to this thread; application
 * threads only append to the accumulator and call {@link #wakeup()}.
 */
final class Sender implements Runnable {

    private static final long MAX_POLL_MS = 100;

    private enum ProducerIdState { NONE, REQUESTED, READY, NEEDS_BUMP }

    private final ProducerConfig config;
    private final RecordAccumulator accumulator;
    private final ClusterMetadata metadata;
    private final NetworkClient network;
    private final Clock clock;
    private final Map<TopicPartition, PartitionSequences> sequences = new HashMap<>();
    private final List<InetSocketAddress> bootstrap;
    private int nextBootstrap;
    private boolean metadataInFlight;
    private long nextMetadataAttemptMs;
    private long producerId = RecordBatchLayout.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatchLayout.NO_PRODUCER_EPOCH;
    private ProducerIdState idState;
    private long nextInitAttemptMs;
    private int produceRequestsInFlight;
    private volatile boolean running = true;
    private volatile boolean forceClose;
    private volatile long closeDeadlineMs = Long.MAX_VALUE;
    private volatile Throwable fatal;

    /** The versions this producer can encode and decode, per API it uses. */
    static final Map<ApiKey, short[]> API_RANGES = Map.of(
            ApiKey.PRODUCE, new short[] {3, 11},
            ApiKey.METADATA, new short[] {4, 12},
            ApiKey.INIT_PRODUCER_ID, new short[] {0, 4});

    Sender(ProducerConfig config, RecordAccumulator accumulator, ClusterMetadata metadata, Clock clock)
            throws IOException {
        this.config = config;
        this.accumulator = accumulator;
        this.metadata = metadata;
        this.clock = clock;
        this.bootstrap = config.bootstrapServers();
        this.idState = config.idempotent() ? ProducerIdState.NONE : ProducerIdState.READY;
        this.network = new NetworkClient(config.clientId(), "tidelog-producer", API_RANGES, config.requestTimeoutMs(),
                config.reconnectBackoffMs(), clock, connection -> metadata.requestUpdate());
    }

    void wakeup() {
        network.wakeup();
    }

    /** Stop taking new work; keep sending what is queued until it is done or {@code deadlineMs}. */
    void initiateClose(long deadlineMs) {
        closeDeadlineMs = deadlineMs;
        running = false;
        wakeup();
    }

    void forceClose() {
        forceClose = true;
        running = false;
        wakeup();
    }

    /** What stopped the sender thread by surprise (a bug), or null. */
    Throwable fatal() {
        return fatal;
    }

    /** The last connection failure, for error messages of threads waiting on metadata. */
    IOException lastConnectError() {
        return network.lastConnectError();
    }

    @Override
    public void run() {
        try {
            while (running) {
                runOnce();
            }
            while (!forceClose && accumulator.hasIncomplete() && clock.milliseconds() < closeDeadlineMs) {
                runOnce();
            }
        } catch (RuntimeException | Error e) {
            fatal = e;
            failAll(new ProducerException("the producer's sender thread failed: " + e, e));
            throw e;
        } finally {
            failAll(new ProducerException("the producer was closed before this record was acknowledged; "
                    + "close with a longer timeout to let queued records finish"));
            network.close();
            metadata.wakeWaiters();
        }
    }

    private void failAll(RuntimeException error) {
        for (ProducerBatch batch : accumulator.drainAll()) {
            fail(batch, error);
        }
        for (PartitionSequences seq : sequences.values()) {
            for (ProducerBatch batch : new ArrayList<>(seq.inFlight)) {
                fail(batch, error);
            }
            seq.inFlight.clear();
        }
        for (ProducerBatch batch : accumulator.incompleteBatches()) {
            fail(batch, error);
        }
    }

    void runOnce() {
        long nowMs = clock.milliseconds();
        maybeUpdateMetadata(nowMs);
        boolean sent = false;
        if (idState == ProducerIdState.READY) {
            sent = sendProduceRequests(nowMs);
        } else {
            maybeInitProducerId(nowMs);
        }
        expireBatches(nowMs);
        network.closeIdleBootstrapConnections();
        network.flushWrites();
        // After sending, look again at once (more may be ready); otherwise sleep until a batch's
        // linger or backoff ends or the network wakes us. The cap bounds expiry checks.
        network.poll(sent ? 0 : accumulator.nextReadyDelayMs(nowMs, MAX_POLL_MS));
    }

    // ---- metadata ----

    private void maybeUpdateMetadata(long nowMs) {
        boolean stale = !metadata.everUpdated() || nowMs - metadata.lastUpdateMs() >= config.metadataMaxAgeMs();
        if (metadataInFlight || (!metadata.updateRequested() && !stale) || metadata.topics().isEmpty()
                || nowMs < nextMetadataAttemptMs) {
            return;
        }
        int node = network.leastLoadedReadyNode();
        if (node == NetworkClient.NO_NODE) {
            connectToSomeBroker(nowMs);
            return;
        }
        MetadataRequest request = new MetadataRequest().setAllowAutoTopicCreation(true);
        List<MetadataRequest.MetadataRequestTopic> topics = new ArrayList<>();
        for (String topic : metadata.topics()) {
            topics.add(new MetadataRequest.MetadataRequestTopic().setName(topic));
        }
        request.setTopics(topics);
        metadataInFlight = true;
        nextMetadataAttemptMs = nowMs + config.retryBackoffMs();
        network.send(node, ApiKey.METADATA, request, true, new NetworkClient.RequestCallback() {
            @Override
            public void onComplete(ApiMessage response) {
                metadataInFlight = false;
                metadata.update((MetadataResponse) response, clock.milliseconds());
            }

            @Override
            public void onDisconnect(IOException cause) {
                metadataInFlight = false;
                metadata.wakeWaiters();
            }
        }, nowMs);
    }

    /** Opens a connection to a known broker, else to the next bootstrap address in turn. */
    private void connectToSomeBroker(long nowMs) {
        for (Map.Entry<Integer, InetSocketAddress> broker : metadata.snapshot().brokers().entrySet()) {
            if (network.isConnecting(broker.getKey())) {
                return;
            }
        }
        for (int i = 0; i < bootstrap.size(); i++) {
            if (network.isConnecting(bootstrapNodeId(i))) {
                return;
            }
        }
        Map<Integer, InetSocketAddress> brokers = metadata.snapshot().brokers();
        if (!brokers.isEmpty() && nextBootstrap % 2 == 0) {
            List<Map.Entry<Integer, InetSocketAddress>> known = new ArrayList<>(brokers.entrySet());
            Map.Entry<Integer, InetSocketAddress> pick = known.get((nextBootstrap / 2) % known.size());
            nextBootstrap++;
            network.ready(pick.getKey(), pick.getValue(), nowMs);
            return;
        }
        int index = nextBootstrap++ % bootstrap.size();
        network.ready(bootstrapNodeId(index), bootstrap.get(index), nowMs);
    }

    private static int bootstrapNodeId(int index) {
        return -1 - index;
    }

    // ---- producer id (idempotence, KIP-360 epoch bumps) ----

    private void maybeInitProducerId(long nowMs) {
        if (idState == ProducerIdState.REQUESTED || nowMs < nextInitAttemptMs) {
            return;
        }
        if (idState == ProducerIdState.NEEDS_BUMP && produceRequestsInFlight > 0) {
            return;
        }
        int node = network.leastLoadedReadyNode();
        if (node == NetworkClient.NO_NODE) {
            connectToSomeBroker(nowMs);
            return;
        }
        BrokerConnection connection = network.readyConnection(node);
        short version = connection.versions().version(ApiKey.INIT_PRODUCER_ID);
        if (version < 0) {
            failAll(new ProducerException("the broker at " + connection.describe() + " does not support "
                    + "InitProducerId, which the idempotent producer needs; set enable.idempotence=false"));
            return;
        }
        InitProducerIdRequest request = new InitProducerIdRequest().setTransactionalId(null)
                .setTransactionTimeoutMs(Integer.MAX_VALUE);
        if (version >= 3 && idState == ProducerIdState.NEEDS_BUMP) {
            request.setProducerId(producerId).setProducerEpoch(producerEpoch);
        }
        ProducerIdState before = idState;
        idState = ProducerIdState.REQUESTED;
        network.send(node, ApiKey.INIT_PRODUCER_ID, request, true, new NetworkClient.RequestCallback() {
            @Override
            public void onComplete(ApiMessage response) {
                onInitProducerId((InitProducerIdResponse) response, before);
            }

            @Override
            public void onDisconnect(IOException cause) {
                idState = before;
                nextInitAttemptMs = clock.milliseconds() + config.retryBackoffMs();
            }
        }, nowMs);
    }

    private void onInitProducerId(InitProducerIdResponse response, ProducerIdState before) {
        Errors error = Errors.forCode(response.errorCode());
        if (error != Errors.NONE) {
            idState = before;
            nextInitAttemptMs = clock.milliseconds() + config.retryBackoffMs();
            if (!error.retriable() && error != Errors.COORDINATOR_NOT_AVAILABLE) {
                failAll(new BrokerErrorException(error, "the broker refused a producer id (" + error
                        + "); set enable.idempotence=false if this broker cannot give one"));
            }
            return;
        }
        producerId = response.producerId();
        producerEpoch = response.producerEpoch();
        idState = ProducerIdState.READY;
        if (before == ProducerIdState.NEEDS_BUMP) {
            restampQueuedBatches();
        }
    }

    /** After an epoch bump every partition's sequences start at 0 again, retried batches first. */
    private void restampQueuedBatches() {
        for (Map.Entry<TopicPartition, PartitionSequences> entry : sequences.entrySet()) {
            PartitionSequences seq = entry.getValue();
            seq.reset();
            for (ProducerBatch batch : accumulator.queuedWithSequence(entry.getKey())) {
                batch.restamp(producerId, producerEpoch, seq.nextSequence);
                seq.nextSequence += batch.recordCount();
            }
        }
    }

    private void requestEpochBump() {
        if (config.idempotent() && idState == ProducerIdState.READY) {
            idState = ProducerIdState.NEEDS_BUMP;
        }
    }

    // ---- produce ----

    /** Returns true if at least one Produce request went out. */
    private boolean sendProduceRequests(long nowMs) {
        Map<Integer, Map<TopicPartition, ProducerBatch>> byNode = new HashMap<>();
        Map<Integer, Integer> requestBytes = new HashMap<>();
        for (TopicPartition tp : accumulator.partitions()) {
            int leader = metadata.leader(tp);
            if (leader < 0) {
                if (accumulator.peekHead(tp) != null) {
                    metadata.requestUpdate();
                }
                continue;
            }
            InetSocketAddress address = metadata.snapshot().brokers().get(leader);
            if (address == null || !network.ready(leader, address, nowMs)) {
                continue;
            }
            if (!byNode.containsKey(leader) && network.inFlightCount(leader) >= config.maxInFlight()) {
                continue;
            }
            PartitionSequences seq = sequences.computeIfAbsent(tp, k -> new PartitionSequences());
            if (!canSendTo(seq)) {
                continue;
            }
            int used = requestBytes.getOrDefault(leader, 0);
            ProducerBatch batch = accumulator.pollReady(tp, nowMs,
                    b -> used == 0 || used + b.estimatedSizeInBytes() <= config.maxRequestSize());
            if (batch == null) {
                continue;
            }
            if (!batch.isClosed()) {
                int baseSequence = config.idempotent() ? seq.nextSequence : RecordBatchLayout.NO_SEQUENCE;
                batch.close(producerId, producerEpoch, baseSequence, config.compression());
                if (config.idempotent()) {
                    seq.nextSequence += batch.recordCount();
                }
            }
            if (seq.retrying && batch.hasSequence() && accumulator.queuedWithSequence(tp).isEmpty()) {
                seq.retrying = false;
            }
            batch.onAttempt();
            seq.inFlight.add(batch);
            byNode.computeIfAbsent(leader, k -> new LinkedHashMap<>()).put(tp, batch);
            requestBytes.put(leader, used + batch.estimatedSizeInBytes());
        }
        byNode.forEach((node, batches) -> sendProduce(node, batches, nowMs));
        return !byNode.isEmpty();
    }

    private boolean canSendTo(PartitionSequences seq) {
        if (seq.retrying && !seq.inFlight.isEmpty()) {
            return false;
        }
        if (config.idempotent() && seq.lastAckedSequence < 0 && !seq.inFlight.isEmpty()) {
            // A broker without state for this producer on the partition (Kafka: a new producer, or all
            // its records gone) accepts any sequence. Until the epoch's first batch is acknowledged a
            // later batch could be appended ahead of it if it is refused retriably, so send one at a time.
            return false;
        }
        int limit = config.idempotent() ? Math.min(5, config.maxInFlight()) : config.maxInFlight();
        return seq.inFlight.size() < limit;
    }

    private void sendProduce(int node, Map<TopicPartition, ProducerBatch> batches, long nowMs) {
        Map<String, ProduceRequest.TopicProduceData> topics = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, ProducerBatch> entry : batches.entrySet()) {
            ProduceRequest.TopicProduceData topic = topics.computeIfAbsent(entry.getKey().topic(),
                    name -> new ProduceRequest.TopicProduceData().setName(name).setPartitionData(new ArrayList<>()));
            topic.partitionData().add(new ProduceRequest.TopicProduceData.PartitionProduceData()
                    .setIndex(entry.getKey().partition())
                    .setRecords(MemoryRecords.wrap(entry.getValue().wireBytes())));
        }
        ProduceRequest request = new ProduceRequest().setTransactionalId(null).setAcks(config.acks())
                .setTimeoutMs(config.requestTimeoutMs()).setTopicData(new ArrayList<>(topics.values()));
        boolean expectResponse = config.acks() != 0;
        produceRequestsInFlight++;
        boolean sent = network.send(node, ApiKey.PRODUCE, request, expectResponse, new NetworkClient.RequestCallback() {
            @Override
            public void onComplete(ApiMessage response) {
                produceRequestsInFlight--;
                onProduceResponse(batches, (ProduceResponse) response);
            }

            @Override
            public void onDisconnect(IOException cause) {
                produceRequestsInFlight--;
                metadata.requestUpdate();
                for (ProducerBatch batch : batches.values()) {
                    onBatchError(batch, Errors.NETWORK_EXCEPTION, "connection to the leader lost: "
                            + cause.getMessage());
                }
            }
        }, nowMs);
        if (!sent) {
            produceRequestsInFlight--;
            for (ProducerBatch batch : batches.values()) {
                onBatchError(batch, Errors.NETWORK_EXCEPTION, "connection to the leader not ready");
            }
        }
    }

    private void onProduceResponse(Map<TopicPartition, ProducerBatch> batches, ProduceResponse response) {
        if (response == null) {
            // acks=0: the broker never answers, so the offsets stay unknown.
            for (ProducerBatch batch : batches.values()) {
                completeBatch(batch, -1, -1);
            }
            return;
        }
        Map<TopicPartition, ProducerBatch> unanswered = new HashMap<>(batches);
        for (ProduceResponse.TopicProduceResponse topic : response.responses()) {
            for (ProduceResponse.TopicProduceResponse.PartitionProduceResponse partition : topic.partitionResponses()) {
                ProducerBatch batch = unanswered.remove(new TopicPartition(topic.name(), partition.index()));
                if (batch == null) {
                    continue;
                }
                Errors error = Errors.forCode(partition.errorCode());
                if (error == Errors.NONE || error == Errors.DUPLICATE_SEQUENCE_NUMBER) {
                    completeBatch(batch, partition.baseOffset(), partition.logAppendTimeMs());
                } else {
                    String detail = partition.errorMessage() == null ? "" : " (" + partition.errorMessage() + ")";
                    onBatchError(batch, error, error + detail);
                }
            }
        }
        for (ProducerBatch batch : unanswered.values()) {
            onBatchError(batch, Errors.UNKNOWN_SERVER_ERROR, "the Produce response did not mention this partition");
        }
    }

    private void completeBatch(ProducerBatch batch, long baseOffset, long logAppendTimeMs) {
        PartitionSequences seq = removeInFlight(batch);
        if (seq != null && batch.hasSequence()) {
            seq.lastAckedSequence = Math.max(seq.lastAckedSequence, batch.lastSequence());
        }
        batch.complete(baseOffset, logAppendTimeMs);
        accumulator.deallocate(batch);
    }

    private PartitionSequences removeInFlight(ProducerBatch batch) {
        PartitionSequences seq = sequences.get(batch.topicPartition);
        if (seq != null) {
            seq.inFlight.remove(batch);
        }
        return seq;
    }

    private void onBatchError(ProducerBatch batch, Errors error, String detail) {
        PartitionSequences seq = removeInFlight(batch);
        long nowMs = clock.milliseconds();
        switch (error) {
            case MESSAGE_TOO_LARGE:
            case RECORD_LIST_TOO_LARGE:
                if (batch.recordCount() > 1) {
                    splitAndRetry(batch, seq, nowMs);
                    return;
                }
                failAndBreakSequence(batch, new RecordTooLargeException("the broker refused a batch of "
                        + batch.estimatedSizeInBytes() + " bytes for " + batch.topicPartition + " as too large ("
                        + detail + "): raise max.message.bytes on the topic (message.max.bytes on the broker) or "
                        + "lower batch.size and max.request.size"));
                return;
            case UNKNOWN_PRODUCER_ID:
            case OUT_OF_ORDER_SEQUENCE_NUMBER:
                if (config.idempotent() && seq != null && !hasEarlierPending(batch, seq)) {
                    // KIP-360: no earlier batch of ours explains the gap, so the broker lost (or never had)
                    // the state these sequences follow: bump the epoch, which restarts sequences at 0.
                    requestEpochBump();
                }
                retryOrFail(batch, seq, error, detail, nowMs);
                return;
            case NETWORK_EXCEPTION:
            case NOT_LEADER_OR_FOLLOWER:
            case UNKNOWN_TOPIC_OR_PARTITION:
            case LEADER_NOT_AVAILABLE:
            case FENCED_LEADER_EPOCH:
            case UNKNOWN_LEADER_EPOCH:
                metadata.requestUpdate();
                retryOrFail(batch, seq, error, detail, nowMs);
                return;
            default:
                if (error.retriable()) {
                    retryOrFail(batch, seq, error, detail, nowMs);
                } else {
                    failAndBreakSequence(batch, new BrokerErrorException(error, "the broker refused records for "
                            + batch.topicPartition + ": " + detail));
                }
        }
    }

    /** True if a batch with a lower sequence of the same partition is in flight or waits to be resent. */
    private boolean hasEarlierPending(ProducerBatch batch, PartitionSequences seq) {
        for (ProducerBatch other : seq.inFlight) {
            if (other.hasSequence() && other.baseSequence() < batch.baseSequence()) {
                return true;
            }
        }
        for (ProducerBatch other : accumulator.queuedWithSequence(batch.topicPartition)) {
            if (other.baseSequence() < batch.baseSequence()) {
                return true;
            }
        }
        return false;
    }

    /** A multi-record batch was too large for the broker: send its records in smaller batches. */
    private void splitAndRetry(ProducerBatch batch, PartitionSequences seq, long nowMs) {
        int splitSize = Math.max(1, Math.min(accumulator.batchSize(), batch.estimatedSizeInBytes() / 2));
        List<ProducerBatch> parts = batch.split(splitSize, producerId, producerEpoch, config.compression());
        if (seq != null && batch.hasSequence()) {
            seq.retrying = true;
        }
        accumulator.replaceBySplit(batch, parts, nowMs);
    }

    private void retryOrFail(ProducerBatch batch, PartitionSequences seq, Errors error, String detail, long nowMs) {
        boolean timedOut = nowMs - batch.createdMs >= config.deliveryTimeoutMs();
        if (batch.attempts() > config.retries() || timedOut || !running && forceClose) {
            String why = timedOut ? "delivery.timeout.ms=" + config.deliveryTimeoutMs() + " passed"
                    : "retries=" + config.retries() + " used up";
            RuntimeException failure = timedOut
                    ? new ProducerTimeoutException("records for " + batch.topicPartition + " not acknowledged: " + why
                        + "; last error: " + detail + ". Check the broker is up and the partition has a leader")
                    : new BrokerErrorException(error, "records for " + batch.topicPartition + " failed after "
                        + batch.attempts() + " attempts (" + why + "): " + detail);
            failAndBreakSequence(batch, failure);
            return;
        }
        batch.backOffUntil(nowMs + config.retryBackoffMs());
        if (seq != null && batch.hasSequence()) {
            seq.retrying = true;
        }
        accumulator.reenqueue(batch);
    }

    private void failAndBreakSequence(ProducerBatch batch, RuntimeException error) {
        if (config.idempotent() && batch.hasSequence()) {
            // Later batches of this partition carry sequences the broker will now see as a gap.
            requestEpochBump();
        }
        fail(batch, error);
    }

    private void fail(ProducerBatch batch, RuntimeException error) {
        removeInFlight(batch);
        batch.fail(error);
        accumulator.deallocate(batch);
    }

    private void expireBatches(long nowMs) {
        for (ProducerBatch batch : accumulator.expire(nowMs, config.deliveryTimeoutMs())) {
            String where = metadata.leader(batch.topicPartition) < 0 ? "its partition has no known leader"
                    : "the leader did not take it in time";
            failAndBreakSequence(batch, new ProducerTimeoutException(batch.recordCount() + " record(s) for "
                    + batch.topicPartition + " expired after delivery.timeout.ms=" + config.deliveryTimeoutMs()
                    + " ms (" + where + "); check the brokers are reachable or raise delivery.timeout.ms"));
        }
    }
}

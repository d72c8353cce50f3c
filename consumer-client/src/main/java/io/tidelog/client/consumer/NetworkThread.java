package io.tidelog.client.consumer;

import io.tidelog.client.common.BrokerConnection;
import io.tidelog.client.common.Clock;
import io.tidelog.client.common.NetworkClient;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.MetadataRequest;
import io.tidelog.protocol.message.MetadataResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's one I/O thread: it alone drives the {@link NetworkClient} (every socket). Each
 * turn it sends requests other threads queued with {@link #submit}, refreshes metadata, runs its
 * duties (fetching, offset lookups, heartbeats) and then waits for the network.
 *
 * <p>Why a thread of its own rather than the poll thread: the group must see heartbeats while
 * the application processes records between polls, and the next fetch should be on the wire
 * (and its answer read) while it does. With one I/O thread both happen without sharing sockets
 * between threads; the poll thread only decodes, deserializes and runs callbacks.
 *
 * <p>Invariants: {@code pending} and all connection state are touched only by this thread;
 * every queued request's future completes exactly once (answer, failure, or deadline).
 */
final class NetworkThread implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkThread.class);
    private static final long MAX_POLL_MS = 100;

    /** Where a request goes: a connection id and its address; a null address means any ready broker. */
    record Target(int connectionId, InetSocketAddress address) {
        static final Target ANY = new Target(NetworkClient.NO_NODE, null);
    }

    /** Periodic work done on this thread each turn. */
    interface Duty {
        void run(long nowMs);
    }

    private static final class PendingRequest {
        final Target target;
        final ApiKey api;
        final Function<Short, ApiMessage> body;
        final long deadlineMs;
        final long timeoutMs;
        final CompletableFuture<ApiMessage> future;

        PendingRequest(Target target, ApiKey api, Function<Short, ApiMessage> body, long deadlineMs, long timeoutMs,
                       CompletableFuture<ApiMessage> future) {
            this.target = target;
            this.api = api;
            this.body = body;
            this.deadlineMs = deadlineMs;
            this.timeoutMs = timeoutMs;
            this.future = future;
        }
    }

    /** Versions this consumer can encode and decode, per API it uses. */
    static final Map<ApiKey, short[]> API_RANGES = Map.ofEntries(
            Map.entry(ApiKey.METADATA, new short[] {4, 12}),
            Map.entry(ApiKey.FETCH, new short[] {4, 12}),
            Map.entry(ApiKey.LIST_OFFSETS, new short[] {1, 7}),
            Map.entry(ApiKey.OFFSET_FOR_LEADER_EPOCH, new short[] {2, 4}),
            Map.entry(ApiKey.FIND_COORDINATOR, new short[] {0, 4}),
            Map.entry(ApiKey.JOIN_GROUP, new short[] {0, 9}),
            Map.entry(ApiKey.SYNC_GROUP, new short[] {0, 5}),
            Map.entry(ApiKey.HEARTBEAT, new short[] {0, 4}),
            Map.entry(ApiKey.LEAVE_GROUP, new short[] {0, 5}),
            Map.entry(ApiKey.OFFSET_COMMIT, new short[] {2, 9}),
            Map.entry(ApiKey.OFFSET_FETCH, new short[] {1, 9}));

    private final ConsumerConfig config;
    private final ConsumerMetadata metadata;
    private final NetworkClient network;
    private final Clock clock;
    private final Runnable signal;
    private final ConcurrentLinkedQueue<PendingRequest> submitted = new ConcurrentLinkedQueue<>();
    private final List<PendingRequest> pending = new ArrayList<>();
    private final List<Duty> duties = new ArrayList<>();
    private int nextBootstrap;
    private boolean metadataInFlight;
    private long nextMetadataAttemptMs;
    private volatile boolean running = true;
    private volatile Throwable fatal;

    NetworkThread(ConsumerConfig config, ConsumerMetadata metadata, Clock clock, Runnable signal) throws IOException {
        this.config = config;
        this.metadata = metadata;
        this.clock = clock;
        this.signal = signal;
        this.network = new NetworkClient(config.clientId(), "tidelog-consumer", API_RANGES, config.requestTimeoutMs(),
                config.reconnectBackoffMs(), clock, connection -> {
                    metadata.requestUpdate();
                    signal.run();
                });
    }

    /** Adds a duty; call before the thread starts. */
    void addDuty(Duty duty) {
        duties.add(duty);
    }

    NetworkClient network() {
        return network;
    }

    Clock clock() {
        return clock;
    }

    /** What stopped this thread by surprise (a bug), or null. */
    Throwable fatal() {
        return fatal;
    }

    boolean isRunning() {
        return running;
    }

    /**
     * Queues a request (any thread). The future completes with the response, or exceptionally
     * with {@link NetworkFailureException} (connection lost), {@link ConsumerTimeoutException}
     * (not sent before {@code deadlineMs}) or {@link ConsumerException} (API unsupported).
     *
     * @param timeoutMs how long the answer may take once sent; {@code <= 0}: request.timeout.ms
     */
    CompletableFuture<ApiMessage> submit(Target target, ApiKey api, ApiMessage body, long deadlineMs,
                                         long timeoutMs) {
        return submit(target, api, version -> body, deadlineMs, timeoutMs);
    }

    /**
     * As {@link #submit(Target, ApiKey, ApiMessage, long, long)} for a body whose shape depends on
     * the version negotiated with the broker it goes to; the builder runs on this thread and may
     * throw a {@link ConsumerException} to fail the request (a feature the broker lacks).
     */
    CompletableFuture<ApiMessage> submit(Target target, ApiKey api, Function<Short, ApiMessage> body,
                                         long deadlineMs, long timeoutMs) {
        CompletableFuture<ApiMessage> future = new CompletableFuture<>();
        future.whenComplete((r, e) -> signal.run());
        if (!running) {
            future.completeExceptionally(new ConsumerException("the consumer is closed"));
            return future;
        }
        submitted.add(new PendingRequest(target, api, body, deadlineMs, timeoutMs, future));
        network.wakeup();
        return future;
    }

    void wakeup() {
        network.wakeup();
    }

    void shutdown() {
        running = false;
        network.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                runOnce();
            }
        } catch (RuntimeException | Error e) {
            fatal = e;
            LOG.error("the consumer's network thread failed", e);
            throw e;
        } finally {
            running = false;
            ConsumerException closed = new ConsumerException("the consumer is closed");
            for (PendingRequest request : drainSubmitted()) {
                request.future.completeExceptionally(closed);
            }
            network.close();
            signal.run();
        }
    }

    void runOnce() {
        long nowMs = clock.milliseconds();
        pending.addAll(drainSubmitted());
        maybeUpdateMetadata(nowMs);
        for (Duty duty : duties) {
            duty.run(nowMs);
        }
        sendPending(nowMs);
        network.closeIdleBootstrapConnections();
        network.flushWrites();
        network.poll(pending.isEmpty() ? MAX_POLL_MS : Math.min(MAX_POLL_MS, config.retryBackoffMs() / 2 + 1));
    }

    private List<PendingRequest> drainSubmitted() {
        List<PendingRequest> out = new ArrayList<>();
        PendingRequest request;
        while ((request = submitted.poll()) != null) {
            out.add(request);
        }
        return out;
    }

    private void sendPending(long nowMs) {
        for (Iterator<PendingRequest> it = pending.iterator(); it.hasNext(); ) {
            PendingRequest request = it.next();
            if (request.future.isDone()) {
                it.remove();
                continue;
            }
            int node = readyNode(request.target, nowMs);
            if (node != NetworkClient.NO_NODE) {
                it.remove();
                send(node, request, nowMs);
            } else if (nowMs >= request.deadlineMs) {
                it.remove();
                request.future.completeExceptionally(notSentInTime(request));
            }
        }
    }

    private ConsumerTimeoutException notSentInTime(PendingRequest request) {
        IOException connectError = network.lastConnectError();
        String cause = connectError == null ? "" : " (last error: " + connectError.getMessage() + ")";
        if (metadata.lastSuccessMs() < 0 || request.target.address() == null) {
            return new BrokerUnreachableException("no broker answered in time for " + request.api.apiName()
                    + ": none of bootstrap.servers=" + describeBootstrap() + " could be reached" + cause
                    + "; check the addresses and that a broker is running");
        }
        return new BrokerUnreachableException("the broker at " + request.target.address().getHostString() + ":"
                + request.target.address().getPort() + " could not be reached in time for " + request.api.apiName()
                + cause + "; check that it is running");
    }

    String describeBootstrap() {
        List<String> out = new ArrayList<>();
        for (InetSocketAddress address : config.bootstrapServers()) {
            out.add(address.getHostString() + ":" + address.getPort());
        }
        return out.toString();
    }

    IOException lastConnectError() {
        return network.lastConnectError();
    }

    /** The connection id to send on now, or NO_NODE while not ready (a connection is started). */
    int readyNode(Target target, long nowMs) {
        if (target.address() == null) {
            int node = network.leastLoadedReadyNode();
            if (node == NetworkClient.NO_NODE) {
                connectToSomeBroker(nowMs);
            }
            return node;
        }
        return network.ready(target.connectionId(), target.address(), nowMs) ? target.connectionId()
                : NetworkClient.NO_NODE;
    }

    private void send(int node, PendingRequest request, long nowMs) {
        BrokerConnection connection = network.readyConnection(node);
        short version = connection.versions().version(request.api);
        if (version < 0) {
            request.future.completeExceptionally(new ConsumerException("the broker at " + connection.describe()
                    + " supports no version of " + request.api.apiName() + " this consumer speaks; upgrade the "
                    + "broker or use a client matching it"));
            return;
        }
        ApiMessage body;
        try {
            body = request.body.apply(version);
        } catch (ConsumerException e) {
            request.future.completeExceptionally(e);
            return;
        }
        network.send(node, request.api, body, true, new NetworkClient.RequestCallback() {
            @Override
            public void onComplete(ApiMessage response) {
                request.future.complete(response);
            }

            @Override
            public void onDisconnect(IOException cause) {
                request.future.completeExceptionally(new NetworkFailureException(request.api.apiName()
                        + " to " + connection.describe() + " failed: " + cause.getMessage(), cause));
            }
        }, nowMs, request.timeoutMs);
    }

    /** Opens a connection to a known broker, else to the next bootstrap address in turn. */
    void connectToSomeBroker(long nowMs) {
        Map<Integer, InetSocketAddress> brokers = metadata.snapshot().brokers();
        for (Integer id : brokers.keySet()) {
            if (network.isConnecting(id)) {
                return;
            }
        }
        List<InetSocketAddress> bootstrap = config.bootstrapServers();
        for (int i = 0; i < bootstrap.size(); i++) {
            if (network.isConnecting(-1 - i)) {
                return;
            }
        }
        if (!brokers.isEmpty() && nextBootstrap % 2 == 0) {
            List<Map.Entry<Integer, InetSocketAddress>> known = new ArrayList<>(brokers.entrySet());
            Map.Entry<Integer, InetSocketAddress> pick = known.get((nextBootstrap / 2) % known.size());
            nextBootstrap++;
            network.ready(pick.getKey(), pick.getValue(), nowMs);
            return;
        }
        int index = nextBootstrap++ % bootstrap.size();
        network.ready(-1 - index, bootstrap.get(index), nowMs);
    }

    private void maybeUpdateMetadata(long nowMs) {
        boolean stale = metadata.lastSuccessMs() < 0 || nowMs - metadata.lastSuccessMs() >= config.metadataMaxAgeMs();
        if (metadataInFlight || (!metadata.updateRequested() && !stale) || nowMs < nextMetadataAttemptMs) {
            return;
        }
        if (metadata.topics().isEmpty() && metadata.lastSuccessMs() >= 0 && !metadata.updateRequested()) {
            return;
        }
        int node = network.leastLoadedReadyNode();
        if (node == NetworkClient.NO_NODE) {
            metadata.noteFailure(nowMs);
            connectToSomeBroker(nowMs);
            return;
        }
        List<MetadataRequest.MetadataRequestTopic> topics = new ArrayList<>();
        for (String topic : metadata.topics()) {
            topics.add(new MetadataRequest.MetadataRequestTopic().setName(topic));
        }
        MetadataRequest request = new MetadataRequest().setTopics(topics)
                .setAllowAutoTopicCreation(config.allowAutoCreateTopics());
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
                metadata.noteFailure(clock.milliseconds());
                signal.run();
            }
        }, nowMs);
    }
}

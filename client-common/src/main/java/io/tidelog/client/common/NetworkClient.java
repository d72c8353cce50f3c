package io.tidelog.client.common;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.frame.EncodedFrame;
import io.tidelog.protocol.frame.FrameEncoder;
import io.tidelog.protocol.frame.RequestHeader;
import io.tidelog.protocol.frame.ResponseDecoder;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ApiVersionsRequest;
import io.tidelog.protocol.message.ApiVersionsResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A client's connections: at most one per node id, each opened lazily, greeted with
 * ApiVersions (retrying at the broker's highest version if it refuses ours) and then ready for
 * requests. Owned by one polling thread (the producer's sender, the consumer's network
 * thread); only {@link #wakeup()} may be called from others.
 */
public final class NetworkClient implements AutoCloseable {

    /** Told of request outcomes on the polling thread. */
    public interface RequestCallback {
        /** The decoded response body, or null for a request that expects none (once written). */
        void onComplete(ApiMessage response);

        /** The connection broke before an answer came (or the answer could not be decoded). */
        void onDisconnect(IOException cause);
    }

    /** No node: bootstrap connections use negative ids, so -1 is a real node here. */
    public static final int NO_NODE = Integer.MIN_VALUE;

    private final Selector selector;
    private final Map<ApiKey, short[]> clientRanges;
    private final String clientId;
    private final int requestTimeoutMs;
    private final long reconnectBackoffMs;
    private final Clock clock;
    private final Map<Integer, BrokerConnection> connections = new HashMap<>();
    private final Map<Integer, Long> reconnectNotBefore = new HashMap<>();
    private final Consumer<BrokerConnection> onDisconnected;
    private final String softwareName;
    private int nextCorrelationId;
    private volatile IOException lastConnectError;

    /**
     * @param softwareName what ApiVersions v3+ reports as the client software (shown by brokers)
     * @param clientRanges for each API the client uses, the {min, max} versions it implements
     * @param onDisconnected told of every connection that closed, on the polling thread
     */
    public NetworkClient(String clientId, String softwareName, Map<ApiKey, short[]> clientRanges,
                         int requestTimeoutMs, long reconnectBackoffMs, Clock clock,
                         Consumer<BrokerConnection> onDisconnected) throws IOException {
        this.softwareName = softwareName;
        this.clientRanges = Map.copyOf(clientRanges);
        this.selector = Selector.open();
        this.clientId = clientId;
        this.requestTimeoutMs = requestTimeoutMs;
        this.reconnectBackoffMs = reconnectBackoffMs;
        this.clock = clock;
        this.onDisconnected = onDisconnected;
    }

    /** True when the node's connection is ready for requests; starts connecting when there is none. */
    public boolean ready(int nodeId, InetSocketAddress address, long nowMs) {
        BrokerConnection connection = connections.get(nodeId);
        if (connection != null && connection.state() != BrokerConnection.State.CLOSED) {
            return connection.state() == BrokerConnection.State.READY;
        }
        if (nowMs < reconnectNotBefore.getOrDefault(nodeId, 0L)) {
            return false;
        }
        try {
            connection = new BrokerConnection(nodeId, address, selector);
            connections.put(nodeId, connection);
            if (connection.state() == BrokerConnection.State.HANDSHAKE) {
                sendApiVersions(connection, ApiVersionsRequest.HIGHEST_VERSION, nowMs);
            }
        } catch (IOException | RuntimeException e) {
            lastConnectError = new IOException("cannot connect to " + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage(), e);
            reconnectNotBefore.put(nodeId, nowMs + reconnectBackoffMs);
        }
        return false;
    }

    /** The connection of a node, if one exists and is ready. */
    public BrokerConnection readyConnection(int nodeId) {
        BrokerConnection connection = connections.get(nodeId);
        return connection != null && connection.state() == BrokerConnection.State.READY ? connection : null;
    }

    public boolean isConnecting(int nodeId) {
        BrokerConnection connection = connections.get(nodeId);
        return connection != null && (connection.state() == BrokerConnection.State.CONNECTING
                || connection.state() == BrokerConnection.State.HANDSHAKE);
    }

    public IOException lastConnectError() {
        return lastConnectError;
    }

    /** Sends a request on a ready connection; returns false if the connection is not ready. */
    public boolean send(int nodeId, ApiKey api, ApiMessage body, boolean expectResponse, RequestCallback callback,
                 long nowMs) {
        return send(nodeId, api, body, expectResponse, callback, nowMs, 0);
    }

    /**
     * As {@link #send(int, ApiKey, ApiMessage, boolean, RequestCallback, long)} with this request's
     * own answer timeout (e.g. a JoinGroup that may wait a whole rebalance); {@code <= 0} means
     * the client's request timeout.
     */
    public boolean send(int nodeId, ApiKey api, ApiMessage body, boolean expectResponse, RequestCallback callback,
                        long nowMs, long timeoutMs) {
        BrokerConnection connection = readyConnection(nodeId);
        if (connection == null) {
            return false;
        }
        short version = connection.versions().version(api);
        enqueue(connection, api, version, body, expectResponse, callback, nowMs, timeoutMs);
        return true;
    }

    private void enqueue(BrokerConnection connection, ApiKey api, short version, ApiMessage body,
                         boolean expectResponse, RequestCallback callback, long nowMs) {
        enqueue(connection, api, version, body, expectResponse, callback, nowMs, 0);
    }

    private void enqueue(BrokerConnection connection, ApiKey api, short version, ApiMessage body,
                         boolean expectResponse, RequestCallback callback, long nowMs, long timeoutMs) {
        int correlationId = nextCorrelationId++;
        EncodedFrame frame = FrameEncoder.encodeRequest(new RequestHeader(api.id(), version, correlationId, clientId),
                body);
        connection.enqueue(correlationId, api, version, frame, expectResponse, new BrokerConnection.ResponseHandler() {
            @Override
            public void onResponse(ByteBuffer frame, BrokerConnection.InFlight request) throws IOException {
                ApiMessage response;
                try {
                    response = ResponseDecoder.decode(frame, request.api, request.version).body();
                } catch (RuntimeException e) {
                    // The stream can no longer be trusted: the caller closes the connection, failing this request.
                    throw new IOException("undecodable " + request.api.apiName() + " response v" + request.version
                            + " from " + connection.describe() + ": " + e.getMessage(), e);
                }
                callback.onComplete(response);
            }

            @Override
            public void onWritten(BrokerConnection.InFlight request) {
                if (!request.expectResponse) {
                    callback.onComplete(null);
                }
            }

            @Override
            public void onFailure(IOException cause, BrokerConnection.InFlight request) {
                callback.onDisconnect(cause);
            }
        }, nowMs, timeoutMs);
    }

    private void sendApiVersions(BrokerConnection connection, short version, long nowMs) {
        connection.markHandshaking();
        ApiVersionsRequest request = new ApiVersionsRequest()
                .setClientSoftwareName(softwareName).setClientSoftwareVersion("0.1.0");
        enqueue(connection, ApiKey.API_VERSIONS, version, request, true, new RequestCallback() {
            @Override
            public void onComplete(ApiMessage response) {
                onApiVersions(connection, (ApiVersionsResponse) response);
            }

            @Override
            public void onDisconnect(IOException cause) {
                // the connection's own failure handling reports it
            }
        }, nowMs);
    }

    private void onApiVersions(BrokerConnection connection, ApiVersionsResponse response) {
        Errors error = Errors.forCode(response.errorCode());
        if (error == Errors.UNSUPPORTED_VERSION) {
            short brokerMax = -1;
            for (ApiVersionsResponse.ApiVersion api : response.apiKeys()) {
                if (api.apiKey() == ApiKey.API_VERSIONS.id()) {
                    brokerMax = api.maxVersion();
                }
            }
            if (brokerMax >= 0) {
                sendApiVersions(connection, (short) Math.min(brokerMax, ApiVersionsRequest.HIGHEST_VERSION),
                        clock.milliseconds());
                return;
            }
        }
        if (error != Errors.NONE) {
            disconnect(connection, new IOException("the broker at " + connection.describe()
                    + " refused ApiVersions: " + error));
            return;
        }
        connection.markReady(new ApiVersionTable(clientRanges, response));
    }

    /** Waits for I/O up to {@code timeoutMs}, then does it: connects, writes, reads, times out. */
    public void poll(long timeoutMs) {
        try {
            if (timeoutMs <= 0) {
                selector.selectNow();
            } else {
                selector.select(timeoutMs);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("selector failed", e);
        }
        long nowMs = clock.milliseconds();
        for (SelectionKey key : selector.selectedKeys()) {
            BrokerConnection connection = (BrokerConnection) key.attachment();
            try {
                if (key.isValid() && key.isConnectable() && connection.finishConnect()) {
                    lastConnectError = null;
                    sendApiVersions(connection, ApiVersionsRequest.HIGHEST_VERSION, nowMs);
                }
                if (key.isValid() && key.isWritable()) {
                    connection.write();
                }
                if (key.isValid() && key.isReadable()) {
                    connection.read();
                }
            } catch (IOException | RuntimeException e) {
                IOException cause = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                if (connection.state() != BrokerConnection.State.READY) {
                    lastConnectError = new IOException("cannot connect to " + connection.describe() + ": "
                            + e.getMessage(), e);
                }
                disconnect(connection, cause);
            }
        }
        selector.selectedKeys().clear();
        timeOutRequests(nowMs);
    }

    private void timeOutRequests(long nowMs) {
        for (BrokerConnection connection : new ArrayList<>(connections.values())) {
            long oldest = connection.oldestSentMs();
            long own = connection.oldestTimeoutMs();
            long timeout = own > 0 ? own : requestTimeoutMs;
            if (oldest >= 0 && nowMs - oldest > timeout) {
                disconnect(connection, new IOException("no answer from " + connection.describe() + " within "
                        + (own > 0 ? timeout + " ms" : "request.timeout.ms=" + requestTimeoutMs)));
            }
        }
    }

    /** Writes queued requests right away (so a request is on the wire before the next select). */
    public void flushWrites() {
        for (BrokerConnection connection : new ArrayList<>(connections.values())) {
            if (connection.state() == BrokerConnection.State.READY
                    || connection.state() == BrokerConnection.State.HANDSHAKE) {
                try {
                    connection.write();
                } catch (IOException e) {
                    disconnect(connection, e);
                }
            }
        }
    }

    public void disconnect(BrokerConnection connection, IOException cause) {
        if (connections.get(connection.nodeId) == connection) {
            connections.remove(connection.nodeId);
        }
        reconnectNotBefore.put(connection.nodeId, clock.milliseconds() + reconnectBackoffMs);
        connection.close(cause);
        onDisconnected.accept(connection);
    }

    /**
     * Closes idle bootstrap connections (negative ids) once a connection to a broker known by its
     * node id is ready, so each broker ends up with one connection.
     */
    public void closeIdleBootstrapConnections() {
        boolean nodeReady = connections.values().stream()
                .anyMatch(c -> c.nodeId >= 0 && c.state() == BrokerConnection.State.READY);
        if (!nodeReady) {
            return;
        }
        for (BrokerConnection connection : new ArrayList<>(connections.values())) {
            if (connection.nodeId < 0 && connection.state() == BrokerConnection.State.READY
                    && connection.inFlightCount() == 0) {
                connections.remove(connection.nodeId);
                connection.close(new IOException("bootstrap connection no longer needed"));
            }
        }
    }

    public int inFlightCount(int nodeId) {
        BrokerConnection connection = connections.get(nodeId);
        return connection == null ? 0 : connection.inFlightCount();
    }

    /** Any connection ready for requests, preferring the least busy; {@link #NO_NODE} if none. */
    public int leastLoadedReadyNode() {
        int best = NO_NODE;
        int bestLoad = Integer.MAX_VALUE;
        for (BrokerConnection connection : connections.values()) {
            if (connection.state() == BrokerConnection.State.READY && connection.inFlightCount() < bestLoad) {
                best = connection.nodeId;
                bestLoad = connection.inFlightCount();
            }
        }
        return best;
    }

    public boolean hasAnyConnection() {
        return !connections.isEmpty();
    }

    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        for (BrokerConnection connection : new ArrayList<>(connections.values())) {
            disconnect(connection, new IOException("client closed"));
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}

package io.tidelog.client.admin;

import io.tidelog.client.common.BrokerConnection;
import io.tidelog.client.common.Clock;
import io.tidelog.client.common.NetworkClient;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.message.ApiMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Blocking request/response over a {@link NetworkClient}: the caller's thread drives the client's
 * poll loop until its one answer arrives or the deadline passes. An admin tool sends one request at
 * a time, so it needs no sender thread; the connection layer (ApiVersions negotiation, one
 * connection per node, request timeouts) is the clients' shared one.
 *
 * <p>Node ids: bootstrap addresses are -1, -2, ... (as in the producer); brokers learned from
 * metadata use their own ids. A call for a broker whose address a ready bootstrap connection
 * already reaches reuses that connection.
 *
 * <p>Not thread-safe: {@link TidelogAdmin} serialises calls.
 */
final class AdminChannel implements AutoCloseable {

    /** How often a connect to one bootstrap address is tried before it counts as unreachable. */
    private static final int CONNECT_ATTEMPTS = 3;
    private static final long POLL_MS = 50;

    /** Builds the request body for the version the connection negotiated. */
    interface RequestBuilder {
        ApiMessage build(short version);
    }

    private final NetworkClient network;
    private final List<InetSocketAddress> bootstrap;
    private final Clock clock;

    AdminChannel(String clientId, List<InetSocketAddress> bootstrap, int requestTimeoutMs, long reconnectBackoffMs,
                 Clock clock) {
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("no bootstrap server given");
        }
        this.bootstrap = List.copyOf(bootstrap);
        this.clock = clock;
        Map<ApiKey, short[]> ranges = new EnumMap<>(ApiKey.class);
        for (ApiKey api : ApiKey.values()) {
            ranges.put(api, new short[] {api.lowestDecodableVersion(), api.maxVersion()});
        }
        try {
            this.network = new NetworkClient(clientId, "tidelog-admin", ranges, requestTimeoutMs,
                    reconnectBackoffMs, clock, connection -> { });
        } catch (IOException e) {
            throw new AdminException("cannot open a selector: " + e.getMessage());
        }
    }

    long now() {
        return clock.milliseconds();
    }

    /** Sends to any reachable broker (bootstrap addresses first) and waits for the answer. */
    ApiMessage callAny(ApiKey api, RequestBuilder request, long deadlineMs) {
        return exchange(anyNode(deadlineMs), api, request, deadlineMs);
    }

    /** Sends to one broker and waits for the answer. */
    ApiMessage call(int nodeId, InetSocketAddress address, ApiKey api, RequestBuilder request, long deadlineMs) {
        return exchange(connect(nodeId, address, deadlineMs), api, request, deadlineMs);
    }

    /** Lets time pass while keeping connections serviced (a retry's backoff). */
    void pause(long millis) {
        network.poll(millis);
    }

    /** host:port of every bootstrap address, comma-separated, for messages. */
    String bootstrapDescription() {
        StringBuilder text = new StringBuilder();
        for (InetSocketAddress address : bootstrap) {
            text.append(text.length() == 0 ? "" : ",").append(describe(address));
        }
        return text.toString();
    }

    private int anyNode(long deadlineMs) {
        int[] failures = new int[bootstrap.size()];
        boolean[] connecting = new boolean[bootstrap.size()];
        String lastCause = "no answer";
        long startMs = now();
        while (true) {
            int ready = network.leastLoadedReadyNode();
            if (ready != NetworkClient.NO_NODE) {
                return ready;
            }
            long now = now();
            boolean anyLeft = false;
            for (int i = 0; i < bootstrap.size(); i++) {
                int id = bootstrapNodeId(i);
                boolean isConnecting = network.isConnecting(id);
                if (connecting[i] && !isConnecting && network.readyConnection(id) == null) {
                    failures[i]++;
                    lastCause = causeOf(network.lastConnectError(), lastCause);
                }
                if (!isConnecting && failures[i] < CONNECT_ATTEMPTS) {
                    IOException before = network.lastConnectError();
                    network.ready(id, bootstrap.get(i), now);
                    isConnecting = network.isConnecting(id);
                    if (!isConnecting && network.lastConnectError() != before && network.lastConnectError() != null) {
                        failures[i]++;
                        lastCause = causeOf(network.lastConnectError(), lastCause);
                    }
                }
                connecting[i] = isConnecting;
                anyLeft |= failures[i] < CONNECT_ATTEMPTS;
            }
            if (!anyLeft) {
                throw unreachable(lastCause, null);
            }
            if (now >= deadlineMs) {
                throw unreachable("no answer within " + (deadlineMs - startMs) + " ms", null);
            }
            network.poll(Math.min(POLL_MS, deadlineMs - now));
        }
    }

    private int connect(int nodeId, InetSocketAddress address, long deadlineMs) {
        while (true) {
            if (network.readyConnection(nodeId) != null) {
                return nodeId;
            }
            for (int i = 0; i < bootstrap.size(); i++) {
                if (sameAddress(bootstrap.get(i), address) && network.readyConnection(bootstrapNodeId(i)) != null) {
                    return bootstrapNodeId(i);
                }
            }
            long now = now();
            if (now >= deadlineMs) {
                IOException error = network.lastConnectError();
                throw new BrokerUnreachableException("cannot reach broker " + nodeId + " at " + describe(address)
                        + " (" + causeOf(error, "timed out") + ")", error);
            }
            network.ready(nodeId, address, now);
            network.poll(Math.min(POLL_MS, deadlineMs - now));
        }
    }

    private ApiMessage exchange(int nodeId, ApiKey api, RequestBuilder builder, long deadlineMs) {
        BrokerConnection connection = network.readyConnection(nodeId);
        short version = connection.versions().version(api);
        if (version < 0) {
            throw new UnsupportedApiException(api, connection.describe());
        }
        Outcome outcome = new Outcome();
        network.send(nodeId, api, builder.build(version), true, outcome, now());
        network.flushWrites();
        while (!outcome.done) {
            long now = now();
            if (now >= deadlineMs) {
                network.disconnect(connection, new IOException("gave up waiting"));
                throw new AdminTimeoutException("no " + api.apiName() + " answer from the broker at "
                        + connection.describe() + " in time", null);
            }
            network.poll(Math.min(POLL_MS, deadlineMs - now));
        }
        if (outcome.failure != null) {
            throw new BrokerUnreachableException("lost the connection to the broker at " + connection.describe()
                    + " waiting for " + api.apiName() + " (" + lowerFirst(outcome.failure.getMessage()) + ")",
                    outcome.failure);
        }
        return outcome.response;
    }

    private BrokerUnreachableException unreachable(String cause, Throwable error) {
        return new BrokerUnreachableException("cannot reach broker at " + bootstrapDescription() + " (" + cause
                + "); is a broker running there? (check --bootstrap-server)", error);
    }

    private static String causeOf(IOException connectError, String fallback) {
        if (connectError == null) {
            return fallback;
        }
        Throwable cause = connectError.getCause() != null ? connectError.getCause() : connectError;
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return lowerFirst(message);
    }

    private static String lowerFirst(String message) {
        if (message == null || message.isEmpty()) {
            return "unknown cause";
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    private static boolean sameAddress(InetSocketAddress a, InetSocketAddress b) {
        if (a.getPort() != b.getPort()) {
            return false;
        }
        if (a.getHostString().equalsIgnoreCase(b.getHostString())) {
            return true;
        }
        return a.getAddress() != null && a.getAddress().equals(b.getAddress());
    }

    static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static int bootstrapNodeId(int index) {
        return -1 - index;
    }

    @Override
    public void close() {
        network.close();
    }

    /** The one answer a blocking call waits for. */
    private static final class Outcome implements NetworkClient.RequestCallback {
        boolean done;
        ApiMessage response;
        IOException failure;

        @Override
        public void onComplete(ApiMessage response) {
            this.response = response;
            this.done = true;
        }

        @Override
        public void onDisconnect(IOException cause) {
            this.failure = cause;
            this.done = true;
        }
    }
}

package io.tidelog.client.common;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.frame.EncodedFrame;
import io.tidelog.protocol.frame.FrameLength;
import io.tidelog.protocol.record.MemoryRecords;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One non-blocking socket to one broker, driven only by the sender thread (Single Socket
 * Channel). Requests are written in order and several may await answers at once (Request
 * Pipeline); the broker answers in order, so each response belongs to the oldest request still
 * waiting. Requests that expect no answer (acks=0 produce) complete once fully written.
 *
 * <p>Invariants: {@code awaiting} holds, oldest first, exactly the requests written or being
 * written that expect a response; {@code writeQueue}'s head is the frame being written.
 */
public final class BrokerConnection {

    /** A request written (or queued) on this connection. */
    static final class InFlight {
        final int correlationId;
        final ApiKey api;
        final short version;
        final boolean expectResponse;
        final ResponseHandler handler;
        final ByteBuffer[] parts;
        long sentMs;
        /** How long this request may await its answer; {@code <= 0}: the client's request.timeout.ms. */
        long timeoutMs;

        InFlight(int correlationId, ApiKey api, short version, boolean expectResponse, ResponseHandler handler,
                 ByteBuffer[] parts) {
            this.correlationId = correlationId;
            this.api = api;
            this.version = version;
            this.expectResponse = expectResponse;
            this.handler = handler;
            this.parts = parts;
        }
    }

    /** Told the outcome of a request: the response frame (after its size prefix), or a failure. */
    interface ResponseHandler {
        void onResponse(ByteBuffer frame, InFlight request) throws IOException;

        void onWritten(InFlight request);

        void onFailure(IOException cause, InFlight request);
    }

    public enum State { CONNECTING, HANDSHAKE, READY, CLOSED }

    private static final int MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

    final int nodeId;
    final InetSocketAddress address;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final ArrayDeque<InFlight> writeQueue = new ArrayDeque<>();
    private final ArrayDeque<InFlight> awaiting = new ArrayDeque<>();
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(FrameLength.PREFIX_BYTES);
    private ByteBuffer frameBuffer;
    /** Requests in {@code writeQueue} that expect no response (acks=0 produce). */
    private int unansweredInWriteQueue;
    private State state = State.CONNECTING;
    private ApiVersionTable versions;

    BrokerConnection(int nodeId, InetSocketAddress address, Selector selector) throws IOException {
        this.nodeId = nodeId;
        this.address = address;
        this.channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress resolved = address.isUnresolved()
                    ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
            if (resolved.isUnresolved()) {
                throw new IOException("cannot resolve host " + address.getHostString());
            }
            boolean connected = channel.connect(resolved);
            this.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
            if (connected) {
                state = State.HANDSHAKE;
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** host:port as configured or advertised, for messages. */
    public String describe() {
        return address.getHostString() + ":" + address.getPort();
    }

    public State state() {
        return state;
    }

    void markHandshaking() {
        state = State.HANDSHAKE;
    }

    void markReady(ApiVersionTable table) {
        this.versions = table;
        state = State.READY;
    }

    public ApiVersionTable versions() {
        return versions;
    }

    boolean finishConnect() throws IOException {
        if (channel.finishConnect()) {
            state = State.HANDSHAKE;
            updateInterest();
            return true;
        }
        return false;
    }

    /** Requests that expect an answer and do not have one yet. */
    int inFlightCount() {
        return awaiting.size() + unansweredInWriteQueue;
    }

    /** The send time of the oldest request awaiting an answer, or -1. */
    long oldestSentMs() {
        InFlight oldest = awaiting.peekFirst();
        return oldest == null ? -1 : oldest.sentMs;
    }

    /** The own timeout of the oldest request awaiting an answer ({@code <= 0}: the client's default). */
    long oldestTimeoutMs() {
        InFlight oldest = awaiting.peekFirst();
        return oldest == null ? 0 : oldest.timeoutMs;
    }

    void enqueue(int correlationId, ApiKey api, short version, EncodedFrame frame, boolean expectResponse,
                 ResponseHandler handler, long nowMs) {
        enqueue(correlationId, api, version, frame, expectResponse, handler, nowMs, 0);
    }

    void enqueue(int correlationId, ApiKey api, short version, EncodedFrame frame, boolean expectResponse,
                 ResponseHandler handler, long nowMs, long timeoutMs) {
        List<ByteBuffer> parts = new ArrayList<>(frame.partCount());
        for (int i = 0; i < frame.partCount(); i++) {
            Object part = frame.part(i);
            parts.add(part instanceof ByteBuffer b ? b : ((MemoryRecords) part).buffer());
        }
        InFlight request = new InFlight(correlationId, api, version, expectResponse, handler,
                parts.toArray(new ByteBuffer[0]));
        request.sentMs = nowMs;
        request.timeoutMs = timeoutMs;
        writeQueue.addLast(request);
        if (expectResponse) {
            awaiting.addLast(request);
        } else {
            unansweredInWriteQueue++;
        }
        updateInterest();
    }

    /** Writes as much as the socket takes; completes no-response requests that went out whole. */
    void write() throws IOException {
        while (!writeQueue.isEmpty()) {
            InFlight head = writeQueue.peekFirst();
            channel.write(head.parts);
            if (head.parts[head.parts.length - 1].hasRemaining()) {
                break;
            }
            writeQueue.pollFirst();
            if (!head.expectResponse) {
                unansweredInWriteQueue--;
            }
            head.handler.onWritten(head);
        }
        updateInterest();
    }

    /** Reads whole response frames and hands each to the oldest request awaiting one. */
    void read() throws IOException {
        while (true) {
            if (frameBuffer == null) {
                if (channel.read(sizeBuffer) < 0) {
                    throw new IOException("the broker closed the connection");
                }
                if (sizeBuffer.hasRemaining()) {
                    return;
                }
                int size = FrameLength.check(sizeBuffer.flip().getInt(), MAX_RESPONSE_BYTES);
                sizeBuffer.clear();
                frameBuffer = ByteBuffer.allocate(size);
            }
            if (channel.read(frameBuffer) < 0) {
                throw new IOException("the broker closed the connection mid-response");
            }
            if (frameBuffer.hasRemaining()) {
                return;
            }
            ByteBuffer frame = frameBuffer.flip();
            frameBuffer = null;
            InFlight request = awaiting.peekFirst();
            if (request == null) {
                throw new IOException("the broker sent a response nobody asked for");
            }
            int correlationId = frame.getInt(0);
            if (correlationId != request.correlationId) {
                throw new IOException("response correlation id " + correlationId + " but the oldest request is "
                        + request.correlationId + ": responses out of order");
            }
            request.handler.onResponse(frame, request);
            awaiting.remove(request);
        }
    }

    private void updateInterest() {
        if (!key.isValid()) {
            return;
        }
        if (state == State.CONNECTING) {
            key.interestOps(SelectionKey.OP_CONNECT);
        } else {
            key.interestOps(SelectionKey.OP_READ | (writeQueue.isEmpty() ? 0 : SelectionKey.OP_WRITE));
        }
    }

    /** Closes the socket and fails every request not answered yet, oldest first. */
    void close(IOException cause) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        List<InFlight> failed = new ArrayList<>(awaiting);
        for (InFlight r : writeQueue) {
            if (!r.expectResponse) {
                failed.add(r);
            }
        }
        awaiting.clear();
        writeQueue.clear();
        unansweredInWriteQueue = 0;
        for (InFlight request : failed) {
            request.handler.onFailure(cause, request);
        }
    }
}

package io.tidelog.broker;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.frame.FrameEncoder;
import io.tidelog.protocol.frame.RequestHeader;
import io.tidelog.protocol.frame.ResponseHeader;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.types.ProtocolReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.function.BiFunction;

/**
 * A bare Kafka-protocol client over a real socket, built on the protocol module's codecs: it sends
 * whatever frames a test wants (also malformed ones) and reads frames back one at a time.
 */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    public RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a request and returns its correlation id. */
    public int send(ApiMessage request, short version) throws IOException {
        int correlationId = nextCorrelationId++;
        RequestHeader header = new RequestHeader(request.apiKey().id(), version, correlationId, "raw-client");
        ByteBuffer frame = FrameEncoder.encodeRequest(header, request).toByteBuffer();
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        return correlationId;
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the next response frame, checks its correlation id and decodes its body. */
    public <R> R receive(int expectedCorrelationId, ApiKey api, short version,
                  BiFunction<ProtocolReader, Short, R> bodyReader) throws IOException {
        ProtocolReader reader = new ProtocolReader(receiveFrame());
        int correlationId = ResponseHeader.read(reader, api.responseHeaderVersion(version));
        if (correlationId != expectedCorrelationId) {
            throw new AssertionError("expected the answer to request " + expectedCorrelationId + " but got "
                    + correlationId);
        }
        return bodyReader.apply(reader, version);
    }

    public <R> R call(ApiMessage request, short version, BiFunction<ProtocolReader, Short, R> bodyReader) throws IOException {
        return receive(send(request, version), request.apiKey(), version, bodyReader);
    }

    public ByteBuffer receiveFrame() throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    /** True when the broker closed the connection (end of stream or reset) before sending more bytes. */
    public boolean closedByBroker() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package io.tidelog.broker.group;

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

/** A bare protocol client over a real socket using the protocol module's codecs, one request at a time. */
final class WireClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    WireClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    int send(ApiMessage request, short version) throws IOException {
        int correlationId = nextCorrelationId++;
        RequestHeader header = new RequestHeader(request.apiKey().id(), version, correlationId, "wire-client");
        ByteBuffer frame = FrameEncoder.encodeRequest(header, request).toByteBuffer();
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        return correlationId;
    }

    /** Sends {@code request} at {@code version} and decodes the answer with {@code reader}. */
    <R> R call(ApiMessage request, short version, BiFunction<ProtocolReader, Short, R> reader) throws IOException {
        int correlationId = send(request, version);
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        ProtocolReader frame = new ProtocolReader(ByteBuffer.wrap(body));
        int answered = ResponseHeader.read(frame, request.apiKey().responseHeaderVersion(version));
        if (answered != correlationId) {
            throw new AssertionError("answer to " + answered + " instead of " + correlationId);
        }
        return reader.apply(frame, version);
    }

    /** True when the broker closed the connection before sending anything more. */
    boolean closedByBroker() throws IOException {
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

package io.tidelog.client.consumer;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.frame.DecodedRequest;
import io.tidelog.protocol.frame.FrameEncoder;
import io.tidelog.protocol.frame.RequestDecoder;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ApiVersionsResponse;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A one-node fake broker on 127.0.0.1 for situations a single real broker cannot produce (a
 * leader change that truncated the log): ApiVersions is answered with the consumer's own ranges,
 * every other request with what the test's {@code script} returns, in the request's version.
 * Each connection is served by its own thread, answers in order; every request is recorded.
 */
final class FakeLeader implements AutoCloseable {

    final List<ApiMessage> requests = new CopyOnWriteArrayList<>();
    /** What the script threw (the connection was closed then); a test may assert it is empty. */
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Function<DecodedRequest, ApiMessage> script;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    FakeLeader(Function<DecodedRequest, ApiMessage> script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-leader");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread serving = new Thread(() -> serve(socket), "fake-leader-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                DecodedRequest request = RequestDecoder.decode(ByteBuffer.wrap(frame));
                ApiMessage answer;
                if (request.api() == ApiKey.API_VERSIONS) {
                    answer = apiVersions();
                } else {
                    requests.add(request.body());
                    answer = script.apply(request);
                }
                out.write(FrameEncoder.encodeResponse(request.correlationId(), request.apiVersion(), answer)
                        .toByteBuffer().array());
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } catch (RuntimeException | AssertionError e) {
            failures.add(e);
        }
    }

    private static ApiVersionsResponse apiVersions() {
        List<ApiVersionsResponse.ApiVersion> versions = new ArrayList<>();
        versions.add(new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.API_VERSIONS.id())
                .setMinVersion((short) 0).setMaxVersion((short) 3));
        for (Map.Entry<ApiKey, short[]> entry : NetworkThread.API_RANGES.entrySet()) {
            versions.add(new ApiVersionsResponse.ApiVersion().setApiKey(entry.getKey().id())
                    .setMinVersion(entry.getValue()[0]).setMaxVersion(entry.getValue()[1]));
        }
        return new ApiVersionsResponse().setApiKeys(versions);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}

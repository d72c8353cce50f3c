package io.tidelog.client.producer;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.frame.DecodedRequest;
import io.tidelog.protocol.frame.FrameEncoder;
import io.tidelog.protocol.frame.RequestDecoder;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.MetadataResponse;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A fake single broker (node 0) on 127.0.0.1 whose answers a test scripts: each request is decoded
 * with the protocol module and answered with what {@code script} returns (a response body in the
 * request's version; or a whole {@code EncodedFrame} via {@link Answer}). Records "Api vN" of
 * every request seen, in order.
 */
final class ScriptedBroker implements AutoCloseable {

    /** A scripted answer with an explicit response version (for the v0-format ApiVersions refusal). */
    record Answer(ApiMessage body, short version) {
    }

    final List<String> seen = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Function<DecodedRequest, Object> script;

    ScriptedBroker(Function<DecodedRequest, Object> script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "scripted-broker");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Metadata naming this broker as node 0 and leader of partition 0 of {@code topic}. */
    MetadataResponse metadata(String topic) {
        return new MetadataResponse()
                .setBrokers(List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(0).setHost("127.0.0.1")
                        .setPort(port())))
                .setControllerId(0)
                .setTopics(List.of(new MetadataResponse.MetadataResponseTopic().setName(topic).setPartitions(List.of(
                        new MetadataResponse.MetadataResponseTopic.MetadataResponsePartition().setPartitionIndex(0)
                                .setLeaderId(0).setReplicaNodes(List.of(0)).setIsrNodes(List.of(0))))));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> serve(socket), "scripted-broker-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Answers requests in order until the producer closes the connection. */
    private void serve(Socket connection) {
        try (Socket socket = connection) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                DecodedRequest request = RequestDecoder.decode(ByteBuffer.wrap(frame));
                ApiKey api = request.header().api();
                seen.add(api.apiName() + " v" + request.apiVersion());
                Object answer = script.apply(request);
                ApiMessage body = answer instanceof Answer a ? a.body() : (ApiMessage) answer;
                short version = answer instanceof Answer a ? a.version() : request.apiVersion();
                out.write(FrameEncoder.encodeResponse(request.correlationId(), version, body).toByteBuffer().array());
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the producer closed the connection
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

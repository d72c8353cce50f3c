package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.frame.DecodedRequest;
import io.tidelog.protocol.frame.EncodedFrame;
import io.tidelog.protocol.frame.FrameEncoder;
import io.tidelog.protocol.frame.RequestDecoder;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ApiVersionsResponse;
import io.tidelog.protocol.message.InitProducerIdResponse;
import io.tidelog.protocol.message.MetadataResponse;
import io.tidelog.protocol.message.ProduceRequest;
import io.tidelog.protocol.message.ProduceResponse;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A scripted older broker (ApiVersions up to v2, Metadata up to v8, Produce up to v8,
 * InitProducerId up to v1) that refuses our first ApiVersions with the v0-format
 * UNSUPPORTED_VERSION answer: the producer must retry the handshake and then use the highest
 * version each side supports.
 */
class VersionNegotiationTest {

    private final List<String> seen = new CopyOnWriteArrayList<>();

    @Test
    void givenAnOlderBroker_whenTheProducerSends_thenItFallsBackOnApiVersionsAndUsesTheHighestCommonVersions()
            throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread broker = new Thread(() -> serve(server), "scripted-broker");
            broker.setDaemon(true);
            broker.start();
            try (Producer<String, String> producer = new TidelogProducer<>(Map.of(
                    "bootstrap.servers", "127.0.0.1:" + server.getLocalPort()), Serializers.string(), Serializers.string())) {
                RecordMetadata metadata = producer.send(new ProducerRecord<>("old", "v")).get(30, TimeUnit.SECONDS);
                assertThat(metadata.offset()).as("requests seen: %s", seen).isEqualTo(100);
            }
        }
        assertThat(seen).contains("ApiVersions v4", "ApiVersions v2", "Metadata v8", "InitProducerId v1", "Produce v8");
        assertThat(seen).doesNotContain("Metadata v12", "Produce v11", "InitProducerId v4");
    }

    private void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> serveConnection(socket), "scripted-broker-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Answers requests in order until the producer closes the connection. */
    private void serveConnection(Socket connection) {
        try (Socket socket = connection) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                DecodedRequest request = RequestDecoder.decode(ByteBuffer.wrap(frame));
                seen.add(request.header().api().apiName() + " v" + request.apiVersion());
                out.write(answer(request, socket.getLocalPort()).toByteBuffer().array());
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the producer closed the connection
        }
    }

    private static EncodedFrame answer(DecodedRequest request, int port) {
        int correlationId = request.correlationId();
        short version = request.apiVersion();
        ApiKey api = request.header().api();
        if (api == ApiKey.API_VERSIONS && version > 2) {
            ApiVersionsResponse refusal = versions().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
            return FrameEncoder.encodeResponse(correlationId, (short) 0, refusal);
        }
        ApiMessage body = switch (api) {
            case API_VERSIONS -> versions();
            case METADATA -> new MetadataResponse()
                    .setBrokers(List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(0).setHost("127.0.0.1")
                            .setPort(port)))
                    .setControllerId(0)
                    .setTopics(List.of(new MetadataResponse.MetadataResponseTopic().setName("old").setPartitions(List.of(
                            new MetadataResponse.MetadataResponseTopic.MetadataResponsePartition().setPartitionIndex(0)
                                    .setLeaderId(0).setReplicaNodes(List.of(0)).setIsrNodes(List.of(0))))));
            case INIT_PRODUCER_ID -> new InitProducerIdResponse().setProducerId(7).setProducerEpoch((short) 0);
            case PRODUCE -> {
                ProduceRequest produce = (ProduceRequest) request.body();
                yield new ProduceResponse().setResponses(List.of(new ProduceResponse.TopicProduceResponse()
                        .setName(produce.topicData().get(0).name())
                        .setPartitionResponses(List.of(new ProduceResponse.TopicProduceResponse.PartitionProduceResponse()
                                .setIndex(0).setBaseOffset(100).setLogAppendTimeMs(-1)))));
            }
            default -> throw new IllegalStateException("unexpected " + api);
        };
        return FrameEncoder.encodeResponse(correlationId, version, body);
    }

    private static ApiVersionsResponse versions() {
        return new ApiVersionsResponse().setApiKeys(List.of(
                range(ApiKey.PRODUCE, 0, 8), range(ApiKey.METADATA, 0, 8), range(ApiKey.API_VERSIONS, 0, 2),
                range(ApiKey.INIT_PRODUCER_ID, 0, 1)));
    }

    private static ApiVersionsResponse.ApiVersion range(ApiKey api, int min, int max) {
        return new ApiVersionsResponse.ApiVersion().setApiKey(api.id()).setMinVersion((short) min)
                .setMaxVersion((short) max);
    }
}

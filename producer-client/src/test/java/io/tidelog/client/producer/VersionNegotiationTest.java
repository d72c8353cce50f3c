package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.frame.DecodedRequest;
import io.tidelog.protocol.message.ApiVersionsResponse;
import io.tidelog.protocol.message.InitProducerIdResponse;
import io.tidelog.protocol.message.ProduceResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A scripted older broker (ApiVersions up to v2, Metadata up to v8, Produce up to v8,
 * InitProducerId up to v1) that refuses our first ApiVersions with the v0-format
 * UNSUPPORTED_VERSION answer: the producer must retry the handshake and then use the highest
 * version each side supports.
 */
class VersionNegotiationTest {

    @Test
    void givenAnOlderBroker_whenTheProducerSends_thenItFallsBackOnApiVersionsAndUsesTheHighestCommonVersions()
            throws Exception {
        ScriptedBroker[] holder = new ScriptedBroker[1];
        try (ScriptedBroker broker = new ScriptedBroker(request -> answer(holder[0], request))) {
            holder[0] = broker;
            try (Producer<String, String> producer = new TidelogProducer<>(Map.of(
                    "bootstrap.servers", "127.0.0.1:" + broker.port()), Serializers.string(), Serializers.string())) {
                RecordMetadata metadata = producer.send(new ProducerRecord<>("old", "v")).get(30, TimeUnit.SECONDS);
                assertThat(metadata.offset()).as("requests seen: %s", broker.seen).isEqualTo(100);
            }
            assertThat(broker.seen).contains("ApiVersions v4", "ApiVersions v2", "Metadata v8", "InitProducerId v1",
                    "Produce v8");
            assertThat(broker.seen).doesNotContain("Metadata v12", "Produce v11", "InitProducerId v4");
        }
    }

    private static Object answer(ScriptedBroker broker, DecodedRequest request) {
        ApiKey api = request.header().api();
        if (api == ApiKey.API_VERSIONS && request.apiVersion() > 2) {
            return new ScriptedBroker.Answer(versions().setErrorCode(Errors.UNSUPPORTED_VERSION.code()), (short) 0);
        }
        return switch (api) {
            case API_VERSIONS -> versions();
            case METADATA -> broker.metadata("old");
            case INIT_PRODUCER_ID -> new InitProducerIdResponse().setProducerId(7).setProducerEpoch((short) 0);
            case PRODUCE -> produceAnswer(Errors.NONE, 100);
            default -> throw new IllegalStateException("unexpected " + api);
        };
    }

    static ProduceResponse produceAnswer(Errors error, long baseOffset) {
        return new ProduceResponse().setResponses(List.of(new ProduceResponse.TopicProduceResponse()
                .setName("old")
                .setPartitionResponses(List.of(new ProduceResponse.TopicProduceResponse.PartitionProduceResponse()
                        .setIndex(0).setErrorCode(error.code()).setBaseOffset(baseOffset).setLogAppendTimeMs(-1)))));
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

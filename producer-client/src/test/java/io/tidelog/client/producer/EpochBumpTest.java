package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.frame.DecodedRequest;
import io.tidelog.protocol.message.ApiVersionsResponse;
import io.tidelog.protocol.message.InitProducerIdRequest;
import io.tidelog.protocol.message.InitProducerIdResponse;
import io.tidelog.protocol.message.ProduceRequest;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.RecordBatch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * KIP-360 basics: when the broker answers UNKNOWN_PRODUCER_ID for the oldest unacknowledged batch
 * (it lost this producer's state), the producer bumps its epoch with InitProducerId (sending its
 * current id and epoch) and resends the batch under the new epoch from sequence 0.
 */
class EpochBumpTest {

    private final List<String> batches = new CopyOnWriteArrayList<>();
    private final List<String> inits = new CopyOnWriteArrayList<>();
    private final AtomicInteger produceCount = new AtomicInteger();

    @Test
    void givenTheBrokerLostTheProducersState_whenItAnswersUnknownProducerId_thenTheProducerBumpsItsEpochAndResends()
            throws Exception {
        ScriptedBroker[] holder = new ScriptedBroker[1];
        try (ScriptedBroker broker = new ScriptedBroker(request -> answer(holder[0], request))) {
            holder[0] = broker;
            try (Producer<String, String> producer = new TidelogProducer<>(Map.of(
                    "bootstrap.servers", "127.0.0.1:" + broker.port(), "retry.backoff.ms", 10),
                    Serializers.string(), Serializers.string())) {
                RecordMetadata first = producer.send(new ProducerRecord<>("old", "a")).get(30, TimeUnit.SECONDS);
                assertThat(first.offset()).isEqualTo(100);
                RecordMetadata second = producer.send(new ProducerRecord<>("old", "b")).get(30, TimeUnit.SECONDS);
                assertThat(second.offset()).as("batches %s, inits %s", batches, inits).isEqualTo(101);
            }
        }
        assertThat(inits).containsExactly("id=-1 epoch=-1", "id=7 epoch=0");
        assertThat(batches).containsExactly("id=7 epoch=0 seq=0", "id=7 epoch=0 seq=1", "id=7 epoch=1 seq=0");
    }

    private Object answer(ScriptedBroker broker, DecodedRequest request) {
        ApiKey api = request.header().api();
        return switch (api) {
            case API_VERSIONS -> new ApiVersionsResponse().setApiKeys(List.of(
                    range(ApiKey.PRODUCE, 3, 11), range(ApiKey.METADATA, 0, 12), range(ApiKey.API_VERSIONS, 0, 4),
                    range(ApiKey.INIT_PRODUCER_ID, 0, 4)));
            case METADATA -> broker.metadata("old");
            case INIT_PRODUCER_ID -> {
                InitProducerIdRequest init = (InitProducerIdRequest) request.body();
                inits.add("id=" + init.producerId() + " epoch=" + init.producerEpoch());
                yield new InitProducerIdResponse().setProducerId(7).setProducerEpoch((short) (inits.size() - 1));
            }
            case PRODUCE -> {
                ProduceRequest produce = (ProduceRequest) request.body();
                MemoryRecords records = (MemoryRecords) produce.topicData().get(0).partitionData().get(0).records();
                RecordBatch batch = new RecordBatch().wrap(records.buffer(), 0);
                batches.add("id=" + batch.producerId() + " epoch=" + batch.producerEpoch() + " seq=" + batch.baseSequence());
                int n = produceCount.incrementAndGet();
                yield n == 2 ? VersionNegotiationTest.produceAnswer(Errors.UNKNOWN_PRODUCER_ID, -1)
                        : VersionNegotiationTest.produceAnswer(Errors.NONE, 99 + Math.min(n, 2));
            }
            default -> throw new IllegalStateException("unexpected " + api);
        };
    }

    private static ApiVersionsResponse.ApiVersion range(ApiKey api, int min, int max) {
        return new ApiVersionsResponse.ApiVersion().setApiKey(api.id()).setMinVersion((short) min)
                .setMaxVersion((short) max);
    }
}

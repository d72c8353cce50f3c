package io.tidelog.broker.api;

import io.tidelog.broker.RawClient;

import static io.tidelog.broker.api.Requests.batch;
import static io.tidelog.broker.api.Requests.idempotentBatch;
import static io.tidelog.broker.api.Requests.produceAndAwait;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiVersionsRequest;
import io.tidelog.protocol.message.ApiVersionsResponse;
import io.tidelog.protocol.message.CreateTopicsResponse;
import io.tidelog.protocol.message.MetadataResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input of issue 3, through a real socket: the offending connection is closed
 * or gets the right error code, the log is unchanged, and the broker keeps serving others.
 */
class BadInputTest {

    private static final String TOPIC = "orders";
    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @TempDir
    Path dir;
    private TestBroker broker;

    @BeforeEach
    void start() throws IOException {
        broker = TestBroker.start(dir);
        try (RawClient client = broker.connect()) {
            CreateTopicsResponse created = client.call(Requests.createTopic(TOPIC, 2, Map.of("max.message.bytes", "2048")),
                    Requests.CREATE_TOPICS_V, CreateTopicsResponse::read);
            assertThat(created.topics().get(0).errorCode()).isEqualTo(Errors.NONE.code());
            produceAndAwait(client, TOPIC, 0, batch("kept"), (short) 1);
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** Another connection still gets answers and the log still holds exactly its one record. */
    private void assertBrokerStillServesAndLogIsUnchanged() throws IOException {
        try (RawClient other = broker.connect()) {
            MetadataResponse metadata = other.call(Requests.metadata(TOPIC), Requests.METADATA_V, MetadataResponse::read);
            assertThat(metadata.topics().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        }
        assertThat(broker.logEndOffset(TOPIC, 0)).isEqualTo(1);
        assertThat(broker.logEndOffset(TOPIC, 1)).isZero();
    }

    @Test
    void givenGarbageBytes_whenSent_thenTheConnectionIsClosedAndOthersAreServed() throws IOException {
        Random random = new Random(SEED);
        byte[] garbage = new byte[4096];
        random.nextBytes(garbage);
        garbage[0] = 0x7f; // a size far beyond socket.request.max.bytes
        try (RawClient client = broker.connect()) {
            client.sendRaw(garbage);
            assertThat(client.closedByBroker()).as("seed %d", SEED).isTrue();
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenGarbageInsideAWellSizedFrame_whenSent_thenTheConnectionIsClosed() throws IOException {
        Random random = new Random(SEED);
        byte[] body = new byte[64];
        random.nextBytes(body);
        body[0] = 0x7f; // an API key nobody has
        try (RawClient client = broker.connect()) {
            client.sendRaw(frame(body));
            assertThat(client.closedByBroker()).as("seed %d", SEED).isTrue();
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenAFrameLengthOf2Pow31Minus1_whenSent_thenTheConnectionIsClosedBeforeAnyAllocation() throws IOException {
        try (RawClient client = broker.connect()) {
            client.sendRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
            assertThat(client.closedByBroker()).isTrue();
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenATruncatedFrame_whenTheClientDisconnects_thenNothingIsAppendedAndOthersAreServed() throws IOException {
        ByteBuffer produce = io.tidelog.protocol.frame.FrameEncoder.encodeRequest(
                new io.tidelog.protocol.frame.RequestHeader(ApiKey.PRODUCE.id(), Requests.PRODUCE_V, 1, "t"),
                Requests.produce(TOPIC, 1, batch("never"), (short) 1)).toByteBuffer();
        byte[] half = new byte[produce.remaining() / 2];
        produce.get(half);
        try (RawClient client = broker.connect()) {
            client.sendRaw(half);
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenAnUnknownApiKey_whenSent_thenTheConnectionIsClosed() throws IOException {
        try (RawClient client = broker.connect()) {
            client.sendRaw(frame(header((short) 999, (short) 0, 5)));
            assertThat(client.closedByBroker()).isTrue();
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenAnApiVersionsVersionTooNew_whenSent_thenTheAnswerIsAV0BodyWithError35AndOurRanges() throws IOException {
        try (RawClient client = broker.connect()) {
            client.sendRaw(frame(concat(header(ApiKey.API_VERSIONS.id(), (short) 99, 42), new byte[] {0})));
            ProtocolReader reader = new ProtocolReader(client.receiveFrame());
            assertThat(reader.readInt32()).isEqualTo(42);
            ApiVersionsResponse response = ApiVersionsResponse.read(reader, (short) 0);

            assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(response.apiKeys()).anySatisfy(range -> {
                assertThat(range.apiKey()).isEqualTo(ApiKey.API_VERSIONS.id());
                assertThat(range.maxVersion()).isEqualTo((short) 4);
            });
            ApiVersionsResponse retried = client.call(new ApiVersionsRequest().setClientSoftwareName("raw")
                    .setClientSoftwareVersion("1"), (short) 4, ApiVersionsResponse::read);
            assertThat(retried.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(retried.apiKeys()).extracting(ApiVersionsResponse.ApiVersion::apiKey)
                    .contains(ApiKey.PRODUCE.id(), ApiKey.FETCH.id(), ApiKey.METADATA.id(), ApiKey.INIT_PRODUCER_ID.id());
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenAnUnsupportedVersionOfAnotherApi_whenSent_thenTheConnectionIsClosed() throws IOException {
        try (RawClient client = broker.connect()) {
            client.sendRaw(frame(header(ApiKey.FETCH.id(), (short) 3, 1)));
            assertThat(client.closedByBroker()).isTrue();
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenACorruptCrc_whenProduced_thenCorruptMessageAndNothingIsAppended() throws IOException {
        ByteBuffer corrupt = batch("x", "y");
        int lastByte = corrupt.limit() - 1;
        corrupt.put(lastByte, (byte) (corrupt.get(lastByte) ^ 0x55));
        try (RawClient client = broker.connect()) {
            var response = produceAndAwait(client, TOPIC, 1, corrupt, (short) 1);
            assertThat(response.errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenABatchOverMaxMessageBytes_whenProduced_thenMessageTooLargeAndNothingIsAppended() throws IOException {
        try (RawClient client = broker.connect()) {
            var response = produceAndAwait(client, TOPIC, 1, batch("z".repeat(4096)), (short) -1);
            assertThat(response.errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenAnInvalidTopicName_whenCreatingOrProducing_thenInvalidTopicOrUnknownAndNothingExists() throws IOException {
        try (RawClient client = broker.connect()) {
            CreateTopicsResponse created = client.call(Requests.createTopic("bad name!", 1, Map.of()),
                    Requests.CREATE_TOPICS_V, CreateTopicsResponse::read);
            assertThat(created.topics().get(0).errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
            MetadataResponse metadata = client.call(Requests.metadata(".."), Requests.METADATA_V, MetadataResponse::read);
            assertThat(metadata.topics().get(0).errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
            var produced = produceAndAwait(client, "bad name!", 0, batch("x"), (short) 1);
            assertThat(produced.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        assertThat(broker.server().topicRegistry().image().topics()).doesNotContainKey("bad name!");
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenAnUnknownPartition_whenProduced_thenUnknownTopicOrPartition() throws IOException {
        try (RawClient client = broker.connect()) {
            var response = produceAndAwait(client, TOPIC, 9, batch("x"), (short) 1);
            assertThat(response.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenAnIdempotentProducer_whenItSkipsASequence_thenOutOfOrderSequenceAndNothingIsAppended() throws IOException {
        try (RawClient client = broker.connect()) {
            assertThat(produceAndAwait(client, TOPIC, 0, idempotentBatch(3, (short) 0, 0, "s0"), (short) -1).errorCode())
                    .isEqualTo(Errors.NONE.code());
            var gap = produceAndAwait(client, TOPIC, 0, idempotentBatch(3, (short) 0, 5, "s5"), (short) -1);
            assertThat(gap.errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
        }
        assertThat(broker.logEndOffset(TOPIC, 0)).isEqualTo(2);
    }

    @Test
    void givenAcksOfTwo_whenProduced_thenInvalidRequiredAcksAndNothingIsAppended() throws IOException {
        try (RawClient client = broker.connect()) {
            var response = produceAndAwait(client, TOPIC, 1, batch("x"), (short) 2);
            assertThat(response.errorCode()).isEqualTo(Errors.INVALID_REQUIRED_ACKS.code());
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenMinInsyncReplicasAboveTheIsr_whenProducingWithAcksAll_thenNotEnoughReplicasButAcksOneSucceeds()
            throws IOException {
        try (RawClient client = broker.connect()) {
            client.call(Requests.createTopic("strict", 1, Map.of("min.insync.replicas", "2")), Requests.CREATE_TOPICS_V,
                    CreateTopicsResponse::read);
            var all = produceAndAwait(client, "strict", 0, batch("x"), (short) -1);
            var one = produceAndAwait(client, "strict", 0, batch("y"), (short) 1);

            assertThat(all.errorCode()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS.code());
            assertThat(one.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(one.baseOffset()).isZero();
        }
    }

    @Test
    void givenAnAcksZeroProduceThatFails_whenProcessed_thenTheConnectionIsClosedSoTheClientNotices() throws IOException {
        try (RawClient client = broker.connect()) {
            client.send(Requests.produce(TOPIC, 9, batch("lost"), (short) 0), Requests.PRODUCE_V);
            assertThat(client.closedByBroker()).isTrue();
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    @Test
    void givenAProduceVersionOnlyAdvertisedForOldClients_whenSent_thenTheConnectionIsClosedAndNothingIsAppended()
            throws IOException {
        try (RawClient client = broker.connect()) {
            client.sendRaw(frame(concat(header(ApiKey.PRODUCE.id(), (short) 2, 9), new byte[] {0, 1, 0, 0, 0, 100, 0, 0, 0, 0})));
            assertThat(client.closedByBroker()).isTrue();
        }
        assertBrokerStillServesAndLogIsUnchanged();
    }

    private static byte[] header(short apiKey, short apiVersion, int correlationId) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(apiKey);
        out.writeShort(apiVersion);
        out.writeInt(correlationId);
        out.writeShort(-1);
        if (apiVersion >= 3 && apiKey == ApiKey.API_VERSIONS.id()) {
            out.writeByte(0);
        }
        return bytes.toByteArray();
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}

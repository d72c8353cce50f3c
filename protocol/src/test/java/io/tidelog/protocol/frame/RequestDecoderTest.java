package io.tidelog.protocol.frame;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.message.ApiVersionsRequest;
import io.tidelog.protocol.message.ApiVersionsResponse;
import io.tidelog.protocol.message.MetadataRequest;
import io.tidelog.protocol.message.ProduceRequest;
import io.tidelog.protocol.record.MemoryRecords;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;

import static io.tidelog.protocol.frame.FrameTestSupport.concat;
import static io.tidelog.protocol.frame.FrameTestSupport.kafkaRequestFrame;
import static io.tidelog.protocol.frame.FrameTestSupport.withoutSizePrefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the broker gets from {@link RequestDecoder} for the frames real clients send, good and bad. */
class RequestDecoderTest {

    @Test
    void givenTheJavaClientsApiVersionsV4RequestWhenDecodedThenHeaderAndBodyAreRead() {
        ByteBuffer frame = kafkaRequestFrame(ApiKeys.API_VERSIONS, (short) 4, 7, "producer-1",
                new ApiVersionsRequestData().setClientSoftwareName("apache-kafka-java").setClientSoftwareVersion("4.3.1"));

        DecodedRequest request = RequestDecoder.decode(frame);

        assertThat(request.status()).isEqualTo(DecodedRequest.Status.OK);
        assertThat(request.header()).isEqualTo(new io.tidelog.protocol.frame.RequestHeader((short) 18, (short) 4, 7, "producer-1"));
        assertThat(request.body()).isEqualTo(new ApiVersionsRequest()
                .setClientSoftwareName("apache-kafka-java").setClientSoftwareVersion("4.3.1"));
    }

    @Test
    void givenANullClientIdInAFlexibleHeaderWhenDecodedThenClientIdIsNull() {
        ByteBuffer frame = kafkaRequestFrame(ApiKeys.METADATA, (short) 12, 9, null,
                new MetadataRequestData().setTopics(null));

        DecodedRequest request = RequestDecoder.decode(frame);

        assertThat(request.header().clientId()).isNull();
        assertThat(((MetadataRequest) request.body()).topics()).isNull();
    }

    @Test
    void givenAnApiVersionsRequestOfAVersionFromTheFutureWhenDecodedThenTheHeaderIsKnownAndTheStatusIsUnsupported() {
        ByteBuffer header = ByteBuffer.allocate(15).putShort((short) 18).putShort((short) 9).putInt(42)
                .putShort((short) 3).put("kcat".getBytes(), 0, 3).put((byte) 0);
        ByteBuffer frame = concat(header.flip(), ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7}));

        DecodedRequest request = RequestDecoder.decode(frame);

        assertThat(request.status()).isEqualTo(DecodedRequest.Status.UNSUPPORTED_VERSION);
        assertThat(request.correlationId()).isEqualTo(42);
        assertThat(request.api()).isEqualTo(ApiKey.API_VERSIONS);
        assertThat(request.body()).isNull();
    }

    @Test
    void givenTheUnsupportedVersionAnswerWhenTheJavaClientParsesItThenItSeesError35AndOurRanges() {
        EncodedFrame answer = ApiVersionsAnswers.unsupportedVersion(42, EnumSet.allOf(ApiKey.class));

        ByteBuffer bytes = withoutSizePrefix(answer);
        ResponseHeader header = ResponseHeader.parse(bytes, (short) 0);
        // The client parses at the version it asked for and falls back to v0.
        org.apache.kafka.common.requests.ApiVersionsResponse response =
                org.apache.kafka.common.requests.ApiVersionsResponse.parse(new ByteBufferAccessor(bytes), (short) 4);

        assertThat(header.correlationId()).isEqualTo(42);
        assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(response.data().apiKeys()).hasSize(ApiKey.values().length);
        assertThat(response.data().apiKeys().find(ApiKey.PRODUCE.id()).maxVersion()).isEqualTo((short) 11);
        assertThat(response.data().apiKeys().find(ApiKey.FETCH.id()).minVersion()).isEqualTo((short) 4);
        ByteBuffer v0Body = withoutSizePrefix(answer).position(4);
        org.apache.kafka.common.message.ApiVersionsResponseData v0 =
                new org.apache.kafka.common.message.ApiVersionsResponseData(new ByteBufferAccessor(v0Body), (short) 0);
        assertThat(v0Body.hasRemaining()).as("the body is exactly v0").isFalse();
        assertThat(v0.errorCode()).isEqualTo((short) 35);
        assertThat(v0.apiKeys()).isEqualTo(response.data().apiKeys());
    }

    @Test
    void givenTheUnsupportedVersionAnswerWhenOurClientDecodesItAsV4ThenItFallsBackToV0() {
        EncodedFrame answer = ApiVersionsAnswers.unsupportedVersion(5, List.of(ApiKey.METADATA));

        ResponseDecoder.DecodedResponse response =
                ResponseDecoder.decode(withoutSizePrefix(answer), ApiKey.API_VERSIONS, (short) 4);

        assertThat(response.correlationId()).isEqualTo(5);
        ApiVersionsResponse body = (ApiVersionsResponse) response.body();
        assertThat(body.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(body.apiKeys()).containsExactly(new ApiVersionsResponse.ApiVersion()
                .setApiKey((short) 3).setMinVersion((short) 0).setMaxVersion((short) 12));
    }

    @Test
    void givenAnUnknownApiKeyWhenDecodedThenTheStatusSaysSoAndTheCorrelationIdIsKnown() {
        ByteBuffer frame = ByteBuffer.allocate(12).putShort((short) 57).putShort((short) 0).putInt(3)
                .putShort((short) -1).putShort((short) 0).flip();

        DecodedRequest request = RequestDecoder.decode(frame);

        assertThat(request.status()).isEqualTo(DecodedRequest.Status.UNKNOWN_API_KEY);
        assertThat(request.correlationId()).isEqualTo(3);
        assertThat(request.api()).isNull();
    }

    @Test
    void givenProduceV2WhichIsAdvertisedButNotServedWhenDecodedThenTheStatusIsUnsupportedVersion() {
        ByteBuffer frame = ByteBuffer.allocate(10).putShort((short) 0).putShort((short) 2).putInt(8)
                .putShort((short) -1).flip();

        assertThat(RequestDecoder.decode(frame).status()).isEqualTo(DecodedRequest.Status.UNSUPPORTED_VERSION);
    }

    @Test
    void givenABodyFollowedByTrailingBytesWhenDecodedThenItIsMalformed() {
        ByteBuffer frame = kafkaRequestFrame(ApiKeys.API_VERSIONS, (short) 2, 1, "c", new ApiVersionsRequestData());
        ByteBuffer padded = concat(frame, ByteBuffer.wrap(new byte[] {0}));

        assertThatThrownBy(() -> RequestDecoder.decode(padded)).isInstanceOf(ProtocolDecodeException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void givenAProduceRequestWhenDecodedThenItsRecordsAreASliceOfTheFrameNotACopy() {
        byte[] batch = {10, 20, 30, 40, 50};
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30000);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setName("orders").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(ByteBuffer.wrap(batch))))));
        ByteBuffer frame = kafkaRequestFrame(ApiKeys.PRODUCE, (short) 11, 1, "p", data);

        ProduceRequest request = (ProduceRequest) RequestDecoder.decode(frame.duplicate()).body();
        MemoryRecords records = (MemoryRecords) request.topicData().get(0).partitionData().get(0).records();
        int batchStart = frame.limit() - 3 - batch.length; // three empty tagged-field sections follow the batch
        frame.put(batchStart + 2, (byte) 99); // change the frame's copy of the batch's 3rd byte

        assertThat(records.buffer().array()).isSameAs(frame.array());
        assertThat(records.sizeInBytes()).isEqualTo(5);
        assertThat(records.buffer().get(2)).isEqualTo((byte) 99);
    }

    @Test
    void givenOurRequestHeaderWhenKafkaParsesItThenAllFieldsMatchInBothHeaderVersions() {
        for (short version : new short[] {2, 3}) {
            io.tidelog.protocol.frame.RequestHeader ours =
                    new io.tidelog.protocol.frame.RequestHeader((short) 18, version, 77, version == 2 ? null : "tidelog-\u00e9");
            EncodedFrame frame = FrameEncoder.encodeRequest(ours, new ApiVersionsRequest());

            RequestHeader theirs = RequestHeader.parse(withoutSizePrefix(frame));

            assertThat(theirs.apiKey()).isEqualTo(ApiKeys.API_VERSIONS);
            assertThat(theirs.apiVersion()).isEqualTo(version);
            assertThat(theirs.correlationId()).isEqualTo(77);
            assertThat(theirs.clientId()).isEqualTo(version == 2 ? "" : "tidelog-\u00e9");
            assertThat(theirs.headerVersion()).isEqualTo(ours.headerVersion());
        }
    }
}

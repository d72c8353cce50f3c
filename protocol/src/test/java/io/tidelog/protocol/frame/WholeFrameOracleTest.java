package io.tidelog.protocol.frame;

import io.tidelog.protocol.generator.MessageSchema;
import io.tidelog.protocol.generator.MessageSchema.Message;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.KafkaOracle;
import io.tidelog.protocol.message.MessageFixtures;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole frames, header included, for every API and version: request frames the Java client
 * builds decode on the broker side, and response frames the broker encodes parse in the Java
 * client with the header version it expects (v0 for ApiVersions, v1 for flexible versions).
 */
class WholeFrameOracleTest {

    private static final MessageSchema SCHEMA = MessageFixtures.schema();

    @TestFactory
    Stream<DynamicTest> givenKafkaRequestFramesForEveryApiAndVersionWhenTheBrokerDecodesThemThenHeaderAndBodyMatch() {
        long seed = MessageFixtures.seed();
        List<DynamicTest> tests = new ArrayList<>();
        for (Message message : SCHEMA.messages()) {
            if (!message.request()) {
                continue;
            }
            for (short version : MessageFixtures.versions(message)) {
                tests.add(DynamicTest.dynamicTest(message.name() + " v" + version, () -> {
                    Random random = new Random(seed ^ message.name().hashCode() ^ version);
                    ApiMessage ours = MessageFixtures.randomApiMessage(message, version, random);
                    org.apache.kafka.common.protocol.ApiMessage theirs =
                            KafkaOracle.parse(message.name(), MessageFixtures.encode(ours, version), version);
                    int correlationId = random.nextInt();
                    ByteBuffer frame = FrameTestSupport.kafkaRequestFrame(ApiKeys.forId(message.api().id()), version,
                            correlationId, "client-" + version, theirs);

                    DecodedRequest decoded = RequestDecoder.decode(frame);

                    assertThat(decoded.status()).as("seed %d", seed).isEqualTo(DecodedRequest.Status.OK);
                    assertThat(decoded.correlationId()).isEqualTo(correlationId);
                    assertThat(decoded.header().clientId()).isEqualTo("client-" + version);
                    assertThat(decoded.body()).as("seed %d", seed).isEqualTo(ours);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> givenOurResponseFramesForEveryApiAndVersionWhenTheJavaClientParsesThemThenHeaderAndBodyMatch() {
        long seed = MessageFixtures.seed();
        List<DynamicTest> tests = new ArrayList<>();
        for (Message message : SCHEMA.messages()) {
            if (!message.response()) {
                continue;
            }
            for (short version : MessageFixtures.versions(message)) {
                tests.add(DynamicTest.dynamicTest(message.name() + " v" + version, () -> {
                    Random random = new Random(seed ^ message.name().hashCode() ^ version);
                    ApiMessage ours = MessageFixtures.randomApiMessage(message, version, random);
                    int correlationId = random.nextInt();

                    ByteBuffer bytes = FrameTestSupport.withoutSizePrefix(FrameEncoder.encodeResponse(correlationId, version, ours));
                    short headerVersion = ApiKeys.forId(message.api().id()).responseHeaderVersion(version);
                    ResponseHeader header = ResponseHeader.parse(bytes, headerVersion);
                    org.apache.kafka.common.protocol.ApiMessage theirs = KafkaOracle.parse(message.name(), bytes.slice(), version);

                    assertThat(header.correlationId()).isEqualTo(correlationId);
                    assertThat(KafkaOracle.write(theirs, version)).as("seed %d", seed)
                            .isEqualTo(MessageFixtures.encode(ours, version));
                    ResponseDecoder.DecodedResponse decoded = ResponseDecoder.decode(
                            FrameTestSupport.withoutSizePrefix(FrameEncoder.encodeResponse(correlationId, version, ours)),
                            message.api(), version);
                    assertThat(decoded.correlationId()).isEqualTo(correlationId);
                    assertThat(decoded.body()).isEqualTo(ours);
                }));
            }
        }
        return tests.stream();
    }
}

package io.tidelog.protocol.message;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.generator.MessageSchema;
import io.tidelog.protocol.generator.MessageSchema.Message;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The oracle tests can only vouch for what they reach: every version of every message we decode
 * must exist in kafka-clients' own class (so no version goes untested), and every API Tidelog
 * offers must have a request and a response codec in the schema.
 */
class OracleCoverageTest {

    private static final MessageSchema SCHEMA = MessageFixtures.schema();

    @Test
    void givenEveryMessageWhenComparedWithKafkasClassThenKafkaSupportsEveryVersionWeDecode() {
        for (Message message : SCHEMA.messages()) {
            assertThat(KafkaOracle.lowestVersion(message.name())).as(message.name() + " lowest version in Kafka")
                    .isLessThanOrEqualTo((short) message.versions().low());
            assertThat(KafkaOracle.highestVersion(message.name())).as(message.name() + " highest version in Kafka")
                    .isGreaterThanOrEqualTo((short) message.versions().high());
        }
    }

    @Test
    void givenEveryApiTidelogOffersThenTheSchemaHasItsRequestAndResponseAndTheDispatchReadsThem() {
        Set<ApiKey> requests = EnumSet.noneOf(ApiKey.class);
        Set<ApiKey> responses = EnumSet.noneOf(ApiKey.class);
        for (Message message : SCHEMA.messages()) {
            if (message.request()) {
                requests.add(message.api());
            } else if (message.response()) {
                responses.add(message.api());
            }
        }
        for (ApiKey api : ApiKey.values()) {
            assertThat(requests).as("schema has the %s request", api.apiName()).contains(api);
            assertThat(responses).as("schema has the %s response", api.apiName()).contains(api);
            assertThat(ApiMessages.hasRequestCodec(api)).as(api.apiName() + " request codec").isTrue();
            assertThat(ApiMessages.hasResponseCodec(api)).as(api.apiName() + " response codec").isTrue();
        }
    }

    @Test
    void givenADataStructThenItHasNoApiKeyAndIsNeverFlexible() {
        for (String name : new String[] {"ConsumerProtocolSubscription", "ConsumerProtocolAssignment"}) {
            Message message = SCHEMA.message(name);
            assertThat(message.isApi()).as(name).isFalse();
            assertThat(message.flexibleVersions().isEmpty()).as(name + " flexible versions").isTrue();
            assertThat(message.versions()).as(name).isEqualTo(new MessageSchema.Versions(0, 3));
            assertThat(ApiMessage.class.isAssignableFrom(MessageFixtures.messageClass(message)))
                    .as(name + " is an ApiMessage").isFalse();
        }
    }
}

package io.tidelog.protocol;

import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Our API and error tables agree with kafka-clients on every id, name and header version. */
class ApiKeyAndErrorsTest {

    @Test
    void everyErrorCodeOfOursHasKafkasNameForThatCode() {
        for (Errors ours : Errors.values()) {
            org.apache.kafka.common.protocol.Errors theirs = org.apache.kafka.common.protocol.Errors.forCode(ours.code());
            assertThat(theirs.name()).as("code %d", ours.code()).isEqualTo(ours.name());
            assertThat(ours.retriable()).as(ours.name() + " retriable")
                    .isEqualTo(theirs.exception() instanceof org.apache.kafka.common.errors.RetriableException);
        }
    }

    @Test
    void errorCodesTheBrokerAnswersWithAreThere() {
        assertThat(Errors.forCode((short) 35)).isEqualTo(Errors.UNSUPPORTED_VERSION);
        assertThat(Errors.forCode((short) 74)).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(Errors.forCode((short) 75)).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);
        assertThat(Errors.forCode((short) 59)).isEqualTo(Errors.UNKNOWN_PRODUCER_ID);
    }

    @Test
    void givenACodeNobodyKnowsWhenLookedUpThenItIsUnknownServerError() {
        assertThat(Errors.forCode((short) 30000)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode((short) -7)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void everyApiKeyHasKafkasIdNameAndHeaderVersionsForEveryOfferedVersion() {
        for (ApiKey ours : ApiKey.values()) {
            ApiKeys theirs = ApiKeys.forId(ours.id());
            assertThat(theirs.name).isEqualTo(ours.apiName());
            assertThat(theirs.name()).isEqualTo(ours.name());
            for (short v = (short) Math.max(ours.minVersion(), theirs.oldestVersion());
                 v <= Math.min(ours.maxVersion(), theirs.latestVersion(true)); v++) {
                assertThat(ours.requestHeaderVersion(v)).as(ours + " v" + v + " request header")
                        .isEqualTo(theirs.requestHeaderVersion(v));
                assertThat(ours.responseHeaderVersion(v)).as(ours + " v" + v + " response header")
                        .isEqualTo(theirs.responseHeaderVersion(v));
            }
        }
    }

    @Test
    void produceAdvertisesVersionZeroButDecodesFromThree() {
        assertThat(ApiKey.PRODUCE.minVersion()).isEqualTo((short) 0);
        assertThat(ApiKey.PRODUCE.isDecodable((short) 2)).isFalse();
        assertThat(ApiKey.PRODUCE.isDecodable((short) 3)).isTrue();
        assertThat(ApiKey.PRODUCE.isDecodable((short) 12)).isFalse();
    }

    @Test
    void apiVersionsResponsesAlwaysUseHeaderVersionZero() {
        assertThat(ApiKey.API_VERSIONS.responseHeaderVersion((short) 4)).isEqualTo((short) 0);
        assertThat(ApiKey.API_VERSIONS.requestHeaderVersion((short) 4)).isEqualTo((short) 2);
        assertThat(ApiKey.API_VERSIONS.requestHeaderVersion((short) 77)).isEqualTo((short) 2);
    }
}

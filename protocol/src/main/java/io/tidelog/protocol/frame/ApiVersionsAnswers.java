package io.tidelog.protocol.frame;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiVersionsResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * ApiVersions responses listing the ranges of the APIs a broker serves, including the answer to
 * an ApiVersions request of a version the broker does not support: a v0-format body with
 * UNSUPPORTED_VERSION and the broker's ranges, from which the client picks a version and retries.
 */
public final class ApiVersionsAnswers {

    /** Version whose format the unsupported-version answer uses. */
    public static final short UNSUPPORTED_VERSION_ANSWER_VERSION = 0;

    private ApiVersionsAnswers() {
    }

    /** A response advertising each API's offered range (ApiKey min–max), with {@code error}. */
    public static ApiVersionsResponse advertising(Iterable<ApiKey> apis, Errors error) {
        List<ApiVersionsResponse.ApiVersion> ranges = new ArrayList<>();
        for (ApiKey api : apis) {
            ranges.add(new ApiVersionsResponse.ApiVersion()
                    .setApiKey(api.id())
                    .setMinVersion(api.minVersion())
                    .setMaxVersion(api.maxVersion()));
        }
        return new ApiVersionsResponse().setErrorCode(error.code()).setApiKeys(ranges);
    }

    /**
     * The whole answer frame to an ApiVersions request of an unsupported version: response header
     * v0 and a v0 body with UNSUPPORTED_VERSION.
     */
    public static EncodedFrame unsupportedVersion(int correlationId, Iterable<ApiKey> apis) {
        return FrameEncoder.encodeResponse(correlationId, UNSUPPORTED_VERSION_ANSWER_VERSION,
                advertising(apis, Errors.UNSUPPORTED_VERSION));
    }
}

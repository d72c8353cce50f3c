package io.tidelog.broker.api;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiVersionsRequest;
import io.tidelog.protocol.message.ApiVersionsResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * ApiVersions (v0–4): the version ranges of every API this broker serves. A request at a
 * version above 4 gets a v0-format body with UNSUPPORTED_VERSION and the same ranges; the client
 * then retries at the highest version both sides know.
 */
final class ApiVersionsHandler implements ApiHandler {

    private final List<ApiVersionsResponse.ApiVersion> ranges;

    ApiVersionsHandler(Set<ApiKey> served) {
        Set<ApiKey> apis = new TreeSet<>((a, b) -> Short.compare(a.id(), b.id()));
        apis.addAll(served);
        apis.add(ApiKey.API_VERSIONS);
        List<ApiVersionsResponse.ApiVersion> list = new ArrayList<>();
        for (ApiKey api : apis) {
            list.add(new ApiVersionsResponse.ApiVersion().setApiKey(api.id())
                    .setMinVersion(api.minVersion()).setMaxVersion(api.maxVersion()));
        }
        this.ranges = List.copyOf(list);
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        ApiVersionsRequest.read(body, context.apiVersion());
        context.respond(response(Errors.NONE));
    }

    void answerUnsupportedVersion(RequestContext context) {
        context.respondAtVersion(response(Errors.UNSUPPORTED_VERSION), (short) 0, null);
    }

    private ApiVersionsResponse response(Errors error) {
        return new ApiVersionsResponse().setErrorCode(error.code()).setApiKeys(new ArrayList<>(ranges));
    }
}

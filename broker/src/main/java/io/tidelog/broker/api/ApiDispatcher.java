package io.tidelog.broker.api;

import io.tidelog.broker.metrics.RequestMetrics;
import io.tidelog.broker.network.PendingResponse;
import io.tidelog.broker.network.RequestDispatcher;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.UnsupportedVersionException;
import io.tidelog.protocol.frame.RequestHeader;
import io.tidelog.protocol.types.MalformedVarintException;
import io.tidelog.protocol.types.ProtocolReader;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each request frame to its API's handler after reading the header.
 *
 * <ul>
 *   <li>A header that does not parse, an API key Tidelog does not serve, or a body that does not
 *       decode: the connection is closed (Kafka does the same), after earlier answers.</li>
 *   <li>ApiVersions at a version above the highest offered: a v0-format answer with
 *       UNSUPPORTED_VERSION and the supported ranges, so the client can retry.</li>
 *   <li>Other APIs at a version outside the decodable range: the connection is closed (the
 *       response format of an unknown version is unknown too).</li>
 * </ul>
 */
public final class ApiDispatcher implements RequestDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);
    /** apiKey int16, apiVersion int16, correlationId int32, clientId length int16. */
    private static final int MIN_HEADER_BYTES = 10;

    private final Map<ApiKey, ApiHandler> handlers;
    private final ApiVersionsHandler apiVersions;
    private final RequestMetrics metrics;

    public ApiDispatcher(Map<ApiKey, ApiHandler> handlers) {
        this(handlers, null);
    }

    /** @param metrics where each request's latency is recorded; null records nothing */
    public ApiDispatcher(Map<ApiKey, ApiHandler> handlers, RequestMetrics metrics) {
        this.metrics = metrics;
        Map<ApiKey, ApiHandler> all = new EnumMap<>(ApiKey.class);
        all.putAll(handlers);
        this.apiVersions = new ApiVersionsHandler(all.keySet());
        all.put(ApiKey.API_VERSIONS, apiVersions);
        this.handlers = Collections.unmodifiableMap(all);
        if (metrics != null) {
            metrics.serve(this.handlers.keySet());
        }
    }

    /** The APIs served (what ApiVersions advertises). */
    public java.util.Set<ApiKey> servedApis() {
        return handlers.keySet();
    }

    @Override
    public void dispatch(ByteBuffer frame, PendingResponse response) {
        long startNanos = System.nanoTime();
        if (frame.remaining() < MIN_HEADER_BYTES) {
            response.closeConnection("request of " + frame.remaining() + " bytes is shorter than a request header");
            return;
        }
        ProtocolReader reader = new ProtocolReader(frame);
        RequestHeader header;
        try {
            header = RequestHeader.read(reader);
        } catch (ProtocolDecodeException | MalformedVarintException e) {
            response.closeConnection("malformed request header: " + e.getMessage());
            return;
        }
        ApiKey api = header.api();
        ApiHandler handler = api == null ? null : handlers.get(api);
        if (handler == null) {
            LOG.info("Closing connection from {}: unknown API key {} (client {})", response.remoteAddress(),
                    header.apiKey(), header.clientId());
            response.closeConnection("unknown API key " + header.apiKey());
            return;
        }
        RequestContext context = new RequestContext(header, response, metrics, startNanos);
        if (api == ApiKey.API_VERSIONS && header.apiVersion() > api.maxVersion()) {
            apiVersions.answerUnsupportedVersion(context);
            return;
        }
        if (!api.isDecodable(header.apiVersion())) {
            response.closeConnection(api.apiName() + " version " + header.apiVersion() + " is not supported (serving "
                    + api.lowestDecodableVersion() + "-" + api.maxVersion() + ")");
            return;
        }
        try {
            handler.handle(context, reader);
        } catch (ProtocolDecodeException | MalformedVarintException | UnsupportedVersionException e) {
            response.closeConnection("malformed " + api.apiName() + " v" + header.apiVersion() + " request: "
                    + e.getMessage());
        }
    }
}

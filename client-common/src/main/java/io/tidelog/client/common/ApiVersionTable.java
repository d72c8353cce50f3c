package io.tidelog.client.common;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.message.ApiVersionsResponse;
import java.util.EnumMap;
import java.util.Map;

/**
 * The version of each API a client uses with one broker: the highest version both sides
 * support, from the broker's ApiVersions answer and the ranges the client implements
 * (API key to {min, max} version).
 */
public final class ApiVersionTable {

    private final EnumMap<ApiKey, Short> chosen = new EnumMap<>(ApiKey.class);

    ApiVersionTable(Map<ApiKey, short[]> clientRanges, ApiVersionsResponse response) {
        for (ApiVersionsResponse.ApiVersion api : response.apiKeys()) {
            ApiKey key = ApiKey.forId(api.apiKey());
            short[] ours = key == null ? null : clientRanges.get(key);
            if (ours == null) {
                continue;
            }
            short high = (short) Math.min(ours[1], api.maxVersion());
            short low = (short) Math.max(ours[0], api.minVersion());
            if (high >= low) {
                chosen.put(key, high);
            }
        }
    }

    /** The version to use, or -1 when the broker and this client share none. */
    public short version(ApiKey api) {
        return chosen.getOrDefault(api, (short) -1);
    }
}

package io.tidelog.client.producer;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.message.ApiVersionsResponse;
import java.util.EnumMap;
import java.util.Map;

/**
 * The version of each API this producer uses with one broker: the highest version both sides
 * support, from the broker's ApiVersions answer and the ranges this client implements.
 */
final class ApiVersionTable {

    /** Ranges this producer can encode and decode: Produce, Metadata, InitProducerId. */
    static final Map<ApiKey, short[]> CLIENT_RANGES = Map.of(
            ApiKey.PRODUCE, new short[] {3, 11},
            ApiKey.METADATA, new short[] {4, 12},
            ApiKey.INIT_PRODUCER_ID, new short[] {0, 4});

    private final EnumMap<ApiKey, Short> chosen = new EnumMap<>(ApiKey.class);

    ApiVersionTable(ApiVersionsResponse response) {
        for (ApiVersionsResponse.ApiVersion api : response.apiKeys()) {
            ApiKey key = ApiKey.forId(api.apiKey());
            short[] ours = key == null ? null : CLIENT_RANGES.get(key);
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
    short version(ApiKey api) {
        return chosen.getOrDefault(api, (short) -1);
    }
}

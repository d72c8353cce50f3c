package io.tidelog.protocol;

/**
 * The Kafka APIs Tidelog knows, with the version range it offers and the first flexible version
 * (KIP-482: compact strings, tagged fields, request header v2 and response header v1).
 *
 * <p>{@link #minVersion()} and {@link #maxVersion()} are what ApiVersions advertises.
 * {@link #lowestDecodableVersion()} can be higher than the advertised minimum: Produce advertises
 * v0 because old librdkafka only enables gzip/snappy when the range contains it, but only v3+ is
 * decoded; the broker answers v0–v2 with UNSUPPORTED_VERSION.
 */
public enum ApiKey {
    PRODUCE(0, "Produce", 0, 11, 9, 3),
    FETCH(1, "Fetch", 4, 12, 12),
    LIST_OFFSETS(2, "ListOffsets", 1, 7, 6),
    METADATA(3, "Metadata", 0, 12, 9),
    OFFSET_COMMIT(8, "OffsetCommit", 2, 9, 8),
    OFFSET_FETCH(9, "OffsetFetch", 1, 9, 6),
    FIND_COORDINATOR(10, "FindCoordinator", 0, 4, 3),
    JOIN_GROUP(11, "JoinGroup", 0, 9, 6),
    HEARTBEAT(12, "Heartbeat", 0, 4, 4),
    LEAVE_GROUP(13, "LeaveGroup", 0, 5, 4),
    SYNC_GROUP(14, "SyncGroup", 0, 5, 4),
    DESCRIBE_GROUPS(15, "DescribeGroups", 0, 5, 5),
    LIST_GROUPS(16, "ListGroups", 0, 4, 3),
    API_VERSIONS(18, "ApiVersions", 0, 4, 3),
    CREATE_TOPICS(19, "CreateTopics", 2, 7, 5),
    DELETE_TOPICS(20, "DeleteTopics", 1, 6, 4),
    DELETE_RECORDS(21, "DeleteRecords", 0, 2, 2),
    INIT_PRODUCER_ID(22, "InitProducerId", 0, 4, 2),
    OFFSET_FOR_LEADER_EPOCH(23, "OffsetForLeaderEpoch", 2, 4, 4),
    DESCRIBE_CONFIGS(32, "DescribeConfigs", 1, 4, 4),
    ALTER_CONFIGS(33, "AlterConfigs", 0, 2, 2),
    CREATE_PARTITIONS(37, "CreatePartitions", 0, 3, 2),
    DELETE_GROUPS(42, "DeleteGroups", 0, 2, 2),
    INCREMENTAL_ALTER_CONFIGS(44, "IncrementalAlterConfigs", 0, 1, 1),
    OFFSET_DELETE(47, "OffsetDelete", 0, 0, Short.MAX_VALUE);

    private static final ApiKey[] BY_ID = new ApiKey[64];

    static {
        for (ApiKey key : values()) {
            BY_ID[key.id] = key;
        }
    }

    private final short id;
    private final String apiName;
    private final short minVersion;
    private final short maxVersion;
    private final short firstFlexibleVersion;
    private final short lowestDecodableVersion;

    ApiKey(int id, String apiName, int minVersion, int maxVersion, int firstFlexibleVersion) {
        this(id, apiName, minVersion, maxVersion, firstFlexibleVersion, minVersion);
    }

    ApiKey(int id, String apiName, int minVersion, int maxVersion, int firstFlexibleVersion,
           int lowestDecodableVersion) {
        this.id = (short) id;
        this.apiName = apiName;
        this.minVersion = (short) minVersion;
        this.maxVersion = (short) maxVersion;
        this.firstFlexibleVersion = (short) firstFlexibleVersion;
        this.lowestDecodableVersion = (short) lowestDecodableVersion;
    }

    /** The API with this wire id, or null when Tidelog does not know it. */
    public static ApiKey forId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    public short id() {
        return id;
    }

    /** The name Kafka's documentation uses, e.g. "ListOffsets". */
    public String apiName() {
        return apiName;
    }

    public short minVersion() {
        return minVersion;
    }

    public short maxVersion() {
        return maxVersion;
    }

    public short firstFlexibleVersion() {
        return firstFlexibleVersion;
    }

    public short lowestDecodableVersion() {
        return lowestDecodableVersion;
    }

    /** True when a request of this version is advertised and its body can be decoded. */
    public boolean isDecodable(short version) {
        return version >= lowestDecodableVersion && version <= maxVersion;
    }

    public boolean isFlexible(short version) {
        return version >= firstFlexibleVersion;
    }

    /**
     * Request header version: 2 for flexible versions, else 1. Also right for versions beyond the
     * offered range (newer versions stay flexible), which lets the broker read the header of a
     * request it will refuse.
     */
    public short requestHeaderVersion(short version) {
        return (short) (isFlexible(version) ? 2 : 1);
    }

    /** Response header version: 1 for flexible versions, else 0; ApiVersions always uses 0. */
    public short responseHeaderVersion(short version) {
        if (this == API_VERSIONS) {
            return 0;
        }
        return (short) (isFlexible(version) ? 1 : 0);
    }
}

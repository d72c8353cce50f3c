package io.tidelog.broker.api;

import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.metadata.ProducerIdManager;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.broker.metrics.RequestMetrics;
import io.tidelog.broker.replica.ReplicaManager;
import io.tidelog.protocol.ApiKey;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;

/** Wires every API handler the broker serves into a dispatcher. */
public final class BrokerApis {

    private BrokerApis() {
    }

    /**
     * @param control the single control thread: topic changes and producer-id blocks run there
     *                (they write files and fsync, which event loops must never do)
     */
    public static ApiDispatcher dispatcher(BrokerConfig config, TopicRegistry registry, ReplicaManager replicaManager,
                                           ProducerIdManager producerIds, GroupCoordinator groups, Executor control) {
        return dispatcher(config, registry, replicaManager, producerIds, groups, control, null);
    }

    /** As above; each request's latency and answered error codes go to {@code metrics} (null: nowhere). */
    public static ApiDispatcher dispatcher(BrokerConfig config, TopicRegistry registry, ReplicaManager replicaManager,
                                           ProducerIdManager producerIds, GroupCoordinator groups, Executor control,
                                           RequestMetrics metrics) {
        Map<ApiKey, ApiHandler> handlers = new EnumMap<>(ApiKey.class);
        handlers.put(ApiKey.PRODUCE, new ProduceHandler(replicaManager));
        handlers.put(ApiKey.FETCH, new FetchHandler(replicaManager));
        handlers.put(ApiKey.LIST_OFFSETS, new ListOffsetsHandler(replicaManager));
        handlers.put(ApiKey.METADATA, new MetadataHandler(registry, replicaManager, control,
                config.autoCreateTopicsEnable(), config.numPartitions()));
        handlers.put(ApiKey.CREATE_TOPICS, new CreateTopicsHandler(registry, config, control));
        handlers.put(ApiKey.DELETE_TOPICS, new DeleteTopicsHandler(registry, control));
        handlers.put(ApiKey.DELETE_RECORDS, new DeleteRecordsHandler(replicaManager));
        handlers.put(ApiKey.INIT_PRODUCER_ID, new InitProducerIdHandler(producerIds, control));
        handlers.put(ApiKey.OFFSET_FOR_LEADER_EPOCH, new OffsetForLeaderEpochHandler(replicaManager));
        handlers.put(ApiKey.DESCRIBE_CONFIGS, new DescribeConfigsHandler(registry, config));
        handlers.put(ApiKey.CREATE_PARTITIONS, new CreatePartitionsHandler(registry, config.nodeId(), control));
        ConfigAlterations alterations = new ConfigAlterations(registry, config);
        handlers.put(ApiKey.INCREMENTAL_ALTER_CONFIGS, new IncrementalAlterConfigsHandler(alterations, control));
        handlers.put(ApiKey.ALTER_CONFIGS, new AlterConfigsHandler(alterations, control));
        GroupApis.register(handlers, groups, registry);
        return new ApiDispatcher(handlers, metrics);
    }
}

package io.tidelog.broker;

import io.micrometer.core.instrument.Tags;
import io.tidelog.broker.api.ApiDispatcher;
import io.tidelog.broker.api.BrokerApis;
import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.config.Endpoint;
import io.tidelog.broker.config.TopicConfig;
import io.tidelog.broker.group.GroupConfig;
import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.group.OffsetsTopic;
import io.tidelog.broker.group.ReplicaOffsetsLog;
import io.tidelog.broker.log.LogConfig;
import io.tidelog.broker.log.LogManager;
import io.tidelog.broker.metadata.MetaProperties;
import io.tidelog.broker.metadata.ProducerIdManager;
import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.broker.metadata.TopicStore;
import io.tidelog.broker.metrics.BrokerMetrics;
import io.tidelog.broker.metrics.MetricNames;
import io.tidelog.broker.metrics.MetricsEndpoint;
import io.tidelog.broker.network.EventLoops;
import io.tidelog.broker.network.NetworkServer;
import io.tidelog.broker.replica.ReplicaManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running single-node Tidelog broker: recovered logs, the topic registry, the partitions, the
 * request handlers and the listening socket.
 *
 * <p>Threads: the I/O event loops (also the partitions' owner threads, and the group coordinator's
 * for the {@code __consumer_offsets} partitions), one control thread
 * (topic changes, producer-id blocks: they write files), one background thread (flush,
 * checkpoints, retention, deletion of retired segment files). Nothing blocking runs on an event loop.
 *
 * <p>{@link #shutdown()} is graceful and bounded: stop accepting, answer parked requests, wait
 * for in-flight requests (at most {@value #DRAIN_TIMEOUT_MS} ms), close connections, stop the
 * threads, then close the logs (flush, checkpoints, clean-shutdown marker). It is idempotent.
 */
public final class BrokerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerServer.class);
    static final long DRAIN_TIMEOUT_MS = 10_000;
    private static final long THREAD_STOP_TIMEOUT_MS = 10_000;
    /** Resolution of group session and rebalance deadlines. */
    private static final long GROUP_TICK_MS = 100;

    private final BrokerConfig config;
    private final LogManager logManager;
    private final EventLoops loops;
    private final ReplicaManager replicaManager;
    private final TopicRegistry registry;
    private final GroupCoordinator groups;
    private final ExecutorService control;
    private final ScheduledExecutorService background;
    private final NetworkServer network;
    /** Both null when {@code metrics.port} is -1: then nothing is recorded at all. */
    private final BrokerMetrics metrics;
    private final MetricsEndpoint metricsEndpoint;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private BrokerServer(BrokerConfig config, LogManager logManager, EventLoops loops, ReplicaManager replicaManager,
                         TopicRegistry registry, GroupCoordinator groups, ExecutorService control,
                         ScheduledExecutorService background, NetworkServer network, BrokerMetrics metrics,
                         MetricsEndpoint metricsEndpoint) {
        this.config = config;
        this.logManager = logManager;
        this.loops = loops;
        this.replicaManager = replicaManager;
        this.registry = registry;
        this.groups = groups;
        this.control = control;
        this.background = background;
        this.network = network;
        this.metrics = metrics;
        this.metricsEndpoint = metricsEndpoint;
    }

    /** Recovers the logs, binds the listener and returns once the broker is serving. */
    public static BrokerServer start(BrokerConfig config, Time time) throws IOException {
        List<Path> dirs = config.logDirs();
        for (Path dir : dirs) {
            Files.createDirectories(dir);
        }
        MetaProperties meta = MetaProperties.loadOrFormat(dirs, config.nodeId());
        Path metadataDir = dirs.get(0);
        TopicStore store = new TopicStore(metadataDir);
        boolean registryExisted = Files.exists(store.file());
        TopicRegistry registry = TopicRegistry.open(store, meta, config.listener().host(), config.listener().port());
        List<AutoCloseable> opened = new ArrayList<>();
        // metrics cost a little on every request; with no endpoint nobody could read them
        BrokerMetrics metrics = config.metricsPort() < 0 ? null : new BrokerMetrics();
        if (metrics != null) {
            opened.add(metrics);
        }
        try {
            if (metrics != null) {
                metrics.bindJvmMetrics();
            }
            LogManager logManager = LogManager.open(dirs, (topic, partition) -> logConfigOf(config, registry, topic),
                    time, config.numIoThreads(), config.cleanerConfig());
            opened.add(0, logManager);
            EventLoops loops = new EventLoops(config.numNetworkThreads());
            opened.add(0, loops);
            ReplicaManager replicaManager = new ReplicaManager(config, logManager, loops, metrics);
            if (!registryExisted) {
                adoptLogsWithoutRegistry(logManager, registry, OffsetsTopic.configs(GroupConfig.from(config)));
            }
            replicaManager.startup(registry.image());
            registry.addListener(replicaManager);
            ProducerIdManager producerIds = ProducerIdManager.open(metadataDir);
            GroupCoordinator groups = startGroupCoordinator(config, time, registry, replicaManager, loops);
            ExecutorService control = Executors.newSingleThreadExecutor(daemon("tidelog-control"));
            opened.add(0, control::shutdownNow);
            ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(daemon("tidelog-background"));
            opened.add(0, background::shutdownNow);
            ApiDispatcher dispatcher = BrokerApis.dispatcher(config, registry, replicaManager, producerIds, groups,
                    control, metrics == null ? null : metrics.requests());
            NetworkServer network = NetworkServer.bind(config.listener().bindAddress(), loops,
                    NetworkServer.Settings.defaults(config.socketRequestMaxBytes()), dispatcher);
            opened.add(0, () -> {
                network.stopAccepting();
                network.closeConnections();
            });
            MetricsEndpoint endpoint = null;
            if (metrics != null) {
                bindBrokerGauges(metrics, logManager, replicaManager, network);
                endpoint = startMetricsEndpoint(config, metrics);
                opened.add(0, endpoint);
            }
            BrokerServer server = new BrokerServer(config, logManager, loops, replicaManager, registry, groups, control,
                    background, network, metrics, endpoint);
            server.advertise();
            server.scheduleDuties();
            LOG.info("Tidelog broker {} serving on {}:{} (data in {})", config.nodeId(),
                    registry.image().advertisedHost(), registry.image().advertisedPort(),
                    dirs.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")));
            return server;
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static void bindBrokerGauges(BrokerMetrics metrics, LogManager logManager, ReplicaManager replicas,
                                         NetworkServer network) {
        Tags none = Tags.empty();
        metrics.gauge(MetricNames.PARKED_REQUESTS, "Requests parked waiting for data or replication, by API",
                Tags.of(MetricNames.TAG_API, "Produce"), null, replicas::parkedProduces);
        metrics.gauge(MetricNames.PARKED_REQUESTS, "Requests parked waiting for data or replication, by API",
                Tags.of(MetricNames.TAG_API, "Fetch"), null, replicas::parkedFetches);
        metrics.gauge(MetricNames.PARTITIONS, "Partitions hosted by this broker", none, null, replicas::partitionCount);
        metrics.gauge(MetricNames.UNDER_REPLICATED_PARTITIONS, "Hosted partitions whose ISR is smaller than their "
                + "replica set", none, null, replicas::underReplicatedPartitions);
        metrics.gauge(MetricNames.REQUESTS_IN_FLIGHT, "Requests received and not yet answered", none, null,
                network::requestsInFlight);
        metrics.gauge(MetricNames.PAUSED_CONNECTIONS, "Connections not being read (too much in flight or unsent)",
                none, null, network::pausedConnections);
        double recoverySeconds = logManager.startupOpenNanos() / 1e9;
        int recovered = logManager.startupPartitionsRecovered();
        metrics.gauge(MetricNames.LOG_RECOVERY_TIME, "Time spent opening and recovering the logs at startup", none,
                "seconds", () -> recoverySeconds);
        metrics.gauge(MetricNames.LOG_RECOVERY_PARTITIONS, "Partitions recovered at startup after an unclean shutdown",
                none, null, () -> recovered);
    }

    /** Serves {@code /metrics} on the listener's host and {@code metrics.port}. */
    private static MetricsEndpoint startMetricsEndpoint(BrokerConfig config, BrokerMetrics metrics) throws IOException {
        Endpoint listener = config.listener();
        InetSocketAddress address = listener.host().isEmpty() ? new InetSocketAddress(config.metricsPort())
                : new InetSocketAddress(listener.host(), config.metricsPort());
        MetricsEndpoint endpoint = MetricsEndpoint.start(address, metrics);
        LOG.info("Metrics served at http://{}:{}{}", listener.host().isEmpty() ? "0.0.0.0" : listener.host(),
                endpoint.boundAddress().getPort(), MetricsEndpoint.PATH);
        return endpoint;
    }

    /**
     * The topic registry file is missing but partition logs exist (it was deleted, or the data
     * comes from elsewhere): rather than treating every log as a deleted topic's leftovers, register
     * their topics again with default configs. Their data stays.
     */
    private static void adoptLogsWithoutRegistry(LogManager logManager, TopicRegistry registry,
                                                 java.util.Map<String, String> offsetsTopicConfigs) throws IOException {
        java.util.Map<String, Integer> partitionCounts = new java.util.TreeMap<>();
        for (String name : logManager.logs().keySet()) {
            int dash = name.lastIndexOf('-');
            partitionCounts.merge(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1)) + 1, Math::max);
        }
        for (java.util.Map.Entry<String, Integer> topic : partitionCounts.entrySet()) {
            boolean offsets = topic.getKey().equals(GroupCoordinator.OFFSETS_TOPIC);
            LOG.warn("{} is missing; registering topic {} with {} partition(s) found in the log dirs, {} configs",
                    TopicStore.FILE_NAME, topic.getKey(), topic.getValue(), offsets ? "its own" : "default");
            registry.create(topic.getKey(), topic.getValue(), offsets ? offsetsTopicConfigs : java.util.Map.of());
        }
    }

    /**
     * Creates {@code __consumer_offsets} on first start, then replays it into the group
     * coordinator before the broker serves. Each offsets partition's groups live on that
     * partition's owner loop. The coordinator follows topic deletions (drops their offsets).
     */
    private static GroupCoordinator startGroupCoordinator(BrokerConfig config, Time time, TopicRegistry registry,
                                                          ReplicaManager replicaManager, EventLoops loops)
            throws IOException {
        GroupConfig groupConfig = GroupConfig.from(config);
        int partitions = OffsetsTopic.ensureCreated(registry, groupConfig);
        GroupCoordinator groups = new GroupCoordinator(groupConfig, partitions, time,
                new ReplicaOffsetsLog(replicaManager, groupConfig.offsetsCommitTimeoutMs()),
                p -> loops.ownerOf(GroupCoordinator.OFFSETS_TOPIC, p),
                (topic, p) -> registry.image().hasPartition(topic, p));
        groups.load();
        registry.addListener(groups);
        return groups;
    }

    private static LogConfig logConfigOf(BrokerConfig config, TopicRegistry registry, String topic) {
        TopicImage image = registry.image().topic(topic);
        return image == null ? config.defaultLogConfig() : TopicConfig.of(config, image.configs()).toLogConfig();
    }

    private void advertise() {
        Endpoint advertised = config.advertisedListener(network.boundAddress().getPort());
        String host = advertised.host();
        if (advertised.bindsAllInterfaces()) {
            try {
                host = InetAddress.getLocalHost().getCanonicalHostName();
            } catch (IOException e) {
                host = "localhost";
            }
        }
        registry.setEndpoint(host, advertised.port());
    }

    /** Blocking duties on the background thread; each failure is logged, the duty keeps running. */
    private void scheduleDuties() {
        every(config.logFlushSchedulerIntervalMs(), "flush", logManager::flushDuty);
        every(config.logFlushOffsetCheckpointIntervalMs(), "checkpoint", () -> {
            try {
                logManager.checkpointDuty();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        every(config.logRetentionCheckIntervalMs(), "retention", logManager::retentionDuty);
        every(GROUP_TICK_MS, "group timers", groups::tick);
    }

    private void every(long intervalMs, String name, Runnable duty) {
        long period = Math.max(10, Math.min(intervalMs, TimeUnit.DAYS.toMillis(1)));
        background.scheduleWithFixedDelay(() -> {
            try {
                duty.run();
            } catch (RuntimeException e) {
                LOG.error("Background {} duty failed", name, e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** The address the listener is bound to (the real port when configured with port 0). */
    public InetSocketAddress boundAddress() {
        return network.boundAddress();
    }

    /** Where the metrics endpoint listens (the real port when {@code metrics.port} is 0); empty when disabled. */
    public Optional<InetSocketAddress> metricsAddress() {
        return Optional.ofNullable(metricsEndpoint).map(MetricsEndpoint::boundAddress);
    }

    /** This broker's meters (for tests and tools in-process); empty when {@code metrics.port} is -1. */
    public Optional<BrokerMetrics> metrics() {
        return Optional.ofNullable(metrics);
    }

    /** The partitions and their state (for tests and tools in-process). */
    public ReplicaManager replicaManager() {
        return replicaManager;
    }

    public TopicRegistry topicRegistry() {
        return registry;
    }

    /**
     * Graceful, bounded, idempotent: stop accepting, answer parked requests, finish in-flight
     * ones, close connections, stop threads, then flush and close the logs (checkpoints and the
     * clean-shutdown marker). Returns when done.
     */
    public void shutdown() {
        if (!shuttingDown.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        long started = System.nanoTime();
        try {
            LOG.info("Tidelog broker {} shutting down", config.nodeId());
            network.stopAccepting();
            groups.shutdown();
            replicaManager.completeAllParked();
            if (!network.awaitInFlight(DRAIN_TIMEOUT_MS)) {
                LOG.warn("{} request(s) still in flight after {} ms; closing their connections",
                        network.requestsInFlight(), DRAIN_TIMEOUT_MS);
            }
            network.closeConnections();
            control.shutdown();
            awaitStopped(control, "control");
            background.shutdown();
            awaitStopped(background, "background");
            loops.shutdown(THREAD_STOP_TIMEOUT_MS);
            replicaManager.writeProducerSnapshots();
            logManager.close();
            closeMetrics();
            LOG.info("Tidelog broker {} shut down cleanly in {} ms", config.nodeId(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (IOException | RuntimeException e) {
            LOG.error("Shutdown of broker {} failed; the next start recovers the logs", config.nodeId(), e);
            closeMetrics();
        } finally {
            terminated.countDown();
        }
    }

    /** Releases the metrics port and the JVM meter listeners. Idempotent. */
    private void closeMetrics() {
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private static void awaitStopped(ExecutorService executor, String name) {
        try {
            if (!executor.awaitTermination(THREAD_STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("The {} thread did not stop within {} ms", name, THREAD_STOP_TIMEOUT_MS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until {@link #shutdown()} has finished. */
    public void awaitTermination() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Cleanup after a failed start: {}", e.toString());
            }
        }
    }
}

package io.tidelog.broker.group;

import io.tidelog.broker.MockTime;
import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.log.LogManager;
import io.tidelog.broker.metadata.MetadataImage;
import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.network.EventLoops;
import io.tidelog.broker.replica.ReplicaManager;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real coordinator over real partition logs of {@code __consumer_offsets} (LogManager,
 * ReplicaManager, one event loop as the owner thread), driven by a {@link MockTime}. Timers fire
 * only when a test advances the clock and calls {@link #tick()}.
 */
final class CoordinatorHarness implements AutoCloseable {

    static final String TOPIC = "orders";
    static final int OFFSETS_PARTITIONS = 3;

    final Path dir;
    final MockTime time;
    final GroupConfig config;
    private final LogManager logManager;
    private final EventLoops loops;
    final ReplicaManager replicaManager;
    final GroupCoordinator coordinator;
    final MetadataImage image;
    private boolean closed;

    CoordinatorHarness(Path dir, MockTime time, GroupConfig config) throws IOException {
        this.dir = dir;
        this.time = time;
        this.config = config;
        BrokerConfig broker = BrokerConfig.from(Map.of("log.dirs", dir.toString(), "log.segment.bytes", "1048576",
                "num.network.threads", "1", "num.io.threads", "1"));
        this.logManager = LogManager.open(List.of(dir), (t, p) -> broker.defaultLogConfig(), time, 1);
        this.loops = new EventLoops(1);
        this.replicaManager = new ReplicaManager(broker, logManager, loops);
        Map<String, TopicImage> topics = new HashMap<>();
        topics.put(GroupCoordinator.OFFSETS_TOPIC, new TopicImage(GroupCoordinator.OFFSETS_TOPIC,
                new UUID(1, 1), OFFSETS_PARTITIONS, OffsetsTopic.configs(config)));
        topics.put(TOPIC, new TopicImage(TOPIC, new UUID(2, 2), 6, Map.of()));
        this.image = new MetadataImage(0, "test-cluster", "127.0.0.1", 9092, topics);
        replicaManager.startup(image);
        this.coordinator = new GroupCoordinator(config, OFFSETS_PARTITIONS, time,
                new ReplicaOffsetsLog(replicaManager, 5000), p -> loops.ownerOf(GroupCoordinator.OFFSETS_TOPIC, p),
                image::hasPartition);
        coordinator.load();
    }

    static GroupConfig fastConfig() {
        return GroupConfig.defaults().withInitialRebalanceDelayMs(0).withOffsetsTopicNumPartitions(OFFSETS_PARTITIONS);
    }

    /** A clean restart over the same directory and clock. */
    CoordinatorHarness restart() throws IOException {
        close();
        return new CoordinatorHarness(dir, time, config);
    }

    /** A crash (no flush, no checkpoints, no clean-shutdown marker), then a start over the same directory. */
    CoordinatorHarness crashAndRestart() throws IOException {
        closed = true;
        loops.shutdown(5_000);
        logManager.closeUncleanly();
        return new CoordinatorHarness(dir, time, config);
    }

    // ------------------------------------------------------------------ requests

    static JoinGroupParams join(String group, String memberId, List<GroupProtocol> protocols) {
        return new JoinGroupParams(group, memberId, null, "consumer", protocols, 10_000, 30_000, "client", "/127.0.0.1",
                false, true);
    }

    static JoinGroupParams staticJoin(String group, String memberId, String instanceId, List<GroupProtocol> protocols) {
        return new JoinGroupParams(group, memberId, instanceId, "consumer", protocols, 10_000, 30_000, "client",
                "/127.0.0.1", false, true);
    }

    static List<GroupProtocol> range(String metadata) {
        return List.of(new GroupProtocol("range", metadata.getBytes()));
    }

    CompletableFuture<JoinGroupResult> joinAsync(JoinGroupParams params) {
        CompletableFuture<JoinGroupResult> future = new CompletableFuture<>();
        coordinator.joinGroup(params, future::complete);
        barrier(); // handled (answered or parked) before the test moves the clock
        return future;
    }

    JoinGroupResult join(JoinGroupParams params) {
        return await(joinAsync(params));
    }

    CompletableFuture<SyncGroupResult> syncAsync(String group, int generation, String memberId,
                                                 Map<String, byte[]> assignments) {
        CompletableFuture<SyncGroupResult> future = new CompletableFuture<>();
        coordinator.syncGroup(group, generation, memberId, null, null, null, assignments, future::complete);
        barrier();
        return future;
    }

    SyncGroupResult sync(String group, int generation, String memberId, Map<String, byte[]> assignments) {
        return await(syncAsync(group, generation, memberId, assignments));
    }

    Errors heartbeat(String group, String memberId, int generation) {
        return call(done -> coordinator.heartbeat(group, memberId, null, generation, done));
    }

    LeaveGroupResult leave(String group, MemberIdentity... members) {
        return call(done -> coordinator.leaveGroup(group, List.of(members), done));
    }

    Map<TopicPartition, Errors> commit(String group, String memberId, int generation, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset, 3, "meta-" + offset, -1)));
        return call(done -> coordinator.commitOffsets(group, memberId, null, generation, commits, done));
    }

    OffsetFetchResult fetch(String group, List<TopicPartition> partitions) {
        return call(done -> coordinator.fetchOffsets(group, partitions, done));
    }

    /** Committed offset of one partition (-1 when none). */
    long committed(String group, TopicPartition tp) {
        return fetch(group, List.of(tp)).partitions().get(0).offset();
    }

    GroupDescription describe(String group) {
        List<GroupDescription> all = call(done -> coordinator.describeGroups(List.of(group), done));
        return all.get(0);
    }

    List<GroupOverview> list(Set<GroupState> states) {
        return call(done -> coordinator.listGroups(states, done));
    }

    /** Advances the clock and fires due timers; waits until the owner thread has run them. */
    void advance(long ms) {
        time.sleep(ms);
        tick();
    }

    void tick() {
        coordinator.tick();
        barrier();
        barrier();
    }

    /** Waits until every task queued on the owner thread so far has run. */
    void barrier() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loops.ownerOf(GroupCoordinator.OFFSETS_TOPIC, 0).execute(() -> done.complete(null));
        await(done);
    }

    long offsetsLogEndOffset(String group) {
        int p = coordinator.partitionFor(group);
        return replicaManager.partition(GroupCoordinator.OFFSETS_TOPIC, p).logEndOffset();
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within 10 s", e);
        }
    }

    static <T> T call(Consumer<Consumer<T>> operation) {
        CompletableFuture<T> future = new CompletableFuture<>();
        operation.accept(future::complete);
        return await(future);
    }

    static Map<String, byte[]> assignment(Object... memberThenBytes) {
        Map<String, byte[]> map = new HashMap<>();
        for (int i = 0; i < memberThenBytes.length; i += 2) {
            map.put((String) memberThenBytes[i], ((String) memberThenBytes[i + 1]).getBytes());
        }
        return map;
    }

    static List<String> memberIds(JoinGroupResult result) {
        List<String> ids = new ArrayList<>();
        result.members().forEach(m -> ids.add(m.memberId()));
        return ids;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        coordinator.shutdown();
        loops.shutdown(5_000);
        logManager.close();
    }
}

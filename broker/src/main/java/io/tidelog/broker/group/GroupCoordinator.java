package io.tidelog.broker.group;

import io.tidelog.broker.Time;
import io.tidelog.broker.metadata.MetadataImage;
import io.tidelog.broker.metadata.MetadataListener;
import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.replica.TopicPartition;
import io.tidelog.protocol.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator: Kafka's classic consumer-group protocol and committed offsets, stored in
 * the internal topic {@value #OFFSETS_TOPIC}.
 *
 * <p>A group lives in offsets partition {@link #partitionFor} = abs(groupId.hashCode()) % n. Each
 * partition has a {@link GroupShard} (membership) and {@link GroupOffsets} (offsets), changed only
 * on that partition's owner thread (Singular Update Queue): every public method hops there, and
 * answers through its callback on that thread (after {@link #shutdown()}: at once, on the
 * caller's). Timers are deadlines; {@link #tick()} fires them on the owner threads, so no other
 * thread ever touches group state.
 *
 * <p>Lifecycle: construct, {@link #load()} (replays the offsets partitions, before serving), call
 * {@link #tick()} periodically (e.g. every 100 ms), {@link #shutdown()} answers parked requests.
 */
public final class GroupCoordinator implements MetadataListener {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    public static final String OFFSETS_TOPIC = "__consumer_offsets";

    private final GroupConfig config;
    private final Time time;
    private final OffsetsLog log;
    private final Executor[] owners;
    private final GroupShard[] shards;
    private final GroupOffsets[] offsets;
    private final GroupDeletions[] deletions;
    private final long[] nextExpiryMs;
    private volatile boolean closing;

    /**
     * @param partitionCount  partitions of {@value #OFFSETS_TOPIC} (the existing topic's count)
     * @param ownerOf         the owner thread of each offsets partition
     * @param partitionExists whether a topic partition exists (commits to others are refused)
     */
    public GroupCoordinator(GroupConfig config, int partitionCount, Time time, OffsetsLog log,
                            IntFunction<Executor> ownerOf, BiPredicate<String, Integer> partitionExists) {
        this.config = config;
        this.time = time;
        this.log = log;
        this.owners = new Executor[partitionCount];
        this.shards = new GroupShard[partitionCount];
        this.offsets = new GroupOffsets[partitionCount];
        this.deletions = new GroupDeletions[partitionCount];
        this.nextExpiryMs = new long[partitionCount];
        for (int p = 0; p < partitionCount; p++) {
            owners[p] = ownerOf.apply(p);
            ShardLog shardLog = new ShardLog(p, log, owners[p], time);
            shards[p] = new GroupShard(p, config, time, shardLog);
            offsets[p] = new GroupOffsets(shards[p], config, shardLog, partitionExists);
            deletions[p] = new GroupDeletions(shards[p], shardLog);
        }
    }

    public int partitionCount() {
        return shards.length;
    }

    /** Kafka's placement: abs(hashCode) with abs(MIN_VALUE) = 0, modulo the partition count. */
    public static int partitionFor(String groupId, int partitionCount) {
        int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitionCount;
    }

    public int partitionFor(String groupId) {
        return partitionFor(groupId, shards.length);
    }

    /** Replays every offsets partition. Call once, before any request and before {@link #tick()}. */
    public void load() throws IOException {
        long started = System.nanoTime();
        long records = 0;
        int groups = 0;
        for (GroupShard shard : shards) {
            records += new GroupLoader(shard).load(log);
            groups += shard.groups().size();
        }
        long now = time.nanoseconds() / 1_000_000L;
        Arrays.fill(nextExpiryMs, now + config.offsetsRetentionCheckIntervalMs());
        LOG.info("Loaded {} group(s) from {} record(s) of {} in {} ms", groups, records, OFFSETS_TOPIC,
                (System.nanoTime() - started) / 1_000_000);
    }

    // ------------------------------------------------------------------ membership

    public void joinGroup(JoinGroupParams params, Consumer<JoinGroupResult> done) {
        Consumer<JoinGroupResult> once = Once.of(done);
        run(params.groupId(), p -> shards[p].joinGroup(params, once),
                error -> once.accept(JoinGroupResult.error(error, params.memberId())));
    }

    public void syncGroup(String groupId, int generationId, String memberId, String groupInstanceId,
                          String protocolType, String protocolName, Map<String, byte[]> assignments,
                          Consumer<SyncGroupResult> done) {
        Consumer<SyncGroupResult> once = Once.of(done);
        run(groupId, p -> shards[p].syncGroup(groupId, generationId, memberId, groupInstanceId, protocolType,
                protocolName, assignments, once), error -> once.accept(SyncGroupResult.error(error)));
    }

    public void heartbeat(String groupId, String memberId, String groupInstanceId, int generationId,
                          Consumer<Errors> done) {
        Consumer<Errors> once = Once.of(done);
        run(groupId, p -> shards[p].heartbeat(groupId, memberId, groupInstanceId, generationId, once), once);
    }

    public void leaveGroup(String groupId, List<MemberIdentity> members, Consumer<LeaveGroupResult> done) {
        Consumer<LeaveGroupResult> once = Once.of(done);
        run(groupId, p -> shards[p].leaveGroup(groupId, members, once),
                error -> once.accept(new LeaveGroupResult(error, List.of())));
    }

    // ------------------------------------------------------------------ offsets

    /** Commits offsets; {@code done} gets one error per partition, in the map's order. */
    public void commitOffsets(String groupId, String memberId, String groupInstanceId, int generationId,
                              Map<TopicPartition, OffsetAndMetadata> commits,
                              Consumer<Map<TopicPartition, Errors>> done) {
        Consumer<Map<TopicPartition, Errors>> once = Once.of(done);
        String member = memberId == null ? "" : memberId;
        run(groupId, p -> offsets[p].commit(groupId, member, groupInstanceId, generationId, commits,
                time.milliseconds(), once), error -> {
                    Map<TopicPartition, Errors> failed = new LinkedHashMap<>();
                    commits.keySet().forEach(tp -> failed.put(tp, error));
                    once.accept(failed);
                });
    }

    /** Committed offsets of {@code partitions} (null: every partition the group committed). */
    public void fetchOffsets(String groupId, List<TopicPartition> partitions, Consumer<OffsetFetchResult> done) {
        Consumer<OffsetFetchResult> once = Once.of(done);
        run(groupId, p -> once.accept(offsets[p].fetch(groupId, partitions)),
                error -> once.accept(new OffsetFetchResult(error, List.of())));
    }

    // ------------------------------------------------------------------ administration

    /** Descriptions in the order of {@code groupIds}. */
    public void describeGroups(List<String> groupIds, Consumer<List<GroupDescription>> done) {
        GroupDescription[] results = new GroupDescription[groupIds.size()];
        if (groupIds.isEmpty()) {
            done.accept(List.of());
            return;
        }
        AtomicInteger remaining = new AtomicInteger(groupIds.size());
        for (int i = 0; i < groupIds.size(); i++) {
            int index = i;
            String groupId = groupIds.get(i);
            Runnable finish = () -> {
                if (remaining.decrementAndGet() == 0) {
                    done.accept(List.of(results));
                }
            };
            if (groupId == null || groupId.isEmpty()) {
                results[index] = new GroupDescription(groupId == null ? "" : groupId, Errors.INVALID_GROUP_ID,
                        GroupState.DEAD.displayName(), "", "", List.of());
                finish.run();
                continue;
            }
            run(groupId, p -> {
                results[index] = shards[p].describe(groupId);
                finish.run();
            }, error -> {
                results[index] = new GroupDescription(groupId, error, GroupState.DEAD.displayName(), "", "",
                        List.of());
                finish.run();
            });
        }
    }

    /** Every group (not Dead) whose state is in {@code states} (empty: all), sorted by id. */
    public void listGroups(Set<GroupState> states, Consumer<List<GroupOverview>> done) {
        List<GroupOverview> all = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger remaining = new AtomicInteger(shards.length);
        for (int p = 0; p < shards.length; p++) {
            GroupShard shard = shards[p];
            execute(p, () -> {
                for (GroupOverview group : shard.overview()) {
                    if (states.isEmpty() || states.contains(group.state())) {
                        all.add(group);
                    }
                }
            }, () -> {
                if (remaining.decrementAndGet() == 0) {
                    List<GroupOverview> sorted = new ArrayList<>(all);
                    sorted.sort(Comparator.comparing(GroupOverview::groupId));
                    done.accept(sorted);
                }
            });
        }
    }

    /**
     * Deletes Empty groups with their committed offsets (DeleteGroups), each on its shard's owner
     * thread; a group is answered once its tombstones are in {@value #OFFSETS_TOPIC}. {@code done}
     * gets one error per distinct group id, in request order.
     */
    public void deleteGroups(List<String> groupIds, Consumer<Map<String, Errors>> done) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(groupIds));
        if (distinct.isEmpty()) {
            done.accept(Map.of());
            return;
        }
        Errors[] results = new Errors[distinct.size()];
        AtomicInteger remaining = new AtomicInteger(distinct.size());
        for (int i = 0; i < distinct.size(); i++) {
            int index = i;
            String groupId = distinct.get(i);
            Consumer<Errors> answer = Once.of(error -> {
                results[index] = error;
                if (remaining.decrementAndGet() == 0) {
                    Map<String, Errors> byGroup = new LinkedHashMap<>();
                    for (int g = 0; g < results.length; g++) {
                        byGroup.put(distinct.get(g), results[g]);
                    }
                    done.accept(byGroup);
                }
            });
            run(groupId, p -> deletions[p].deleteGroup(groupId, time.milliseconds(), answer), answer);
        }
    }

    /** Deletes a group's committed offsets of {@code partitions} (OffsetDelete). */
    public void deleteOffsets(String groupId, List<TopicPartition> partitions, Consumer<OffsetDeleteResult> done) {
        Consumer<OffsetDeleteResult> once = Once.of(done);
        run(groupId, p -> deletions[p].deleteOffsets(groupId, partitions, once),
                error -> once.accept(new OffsetDeleteResult(error, Map.of())));
    }

    /**
     * Topics deleted (or deleted and re-created) in this change lose their committed offsets in
     * every group. Called on the control thread; the work runs on the shards' owners.
     */
    @Override
    public void onMetadataChange(MetadataImage previous, MetadataImage next) {
        Set<String> deleted = new HashSet<>();
        for (TopicImage topic : previous.topics().values()) {
            TopicImage after = next.topic(topic.name());
            if (after == null || !after.topicId().equals(topic.topicId())) {
                deleted.add(topic.name());
            }
        }
        if (deleted.isEmpty()) {
            return;
        }
        Set<String> topics = Set.copyOf(deleted);
        for (int p = 0; p < shards.length; p++) {
            GroupOffsets shardOffsets = offsets[p];
            execute(p, () -> shardOffsets.removeTopics(topics), () -> {
            });
        }
    }

    // ------------------------------------------------------------------ timers and lifecycle

    /** Fires due timers of every shard on its owner thread (session and rebalance deadlines, expiry). */
    public void tick() {
        for (int p = 0; p < shards.length; p++) {
            int partition = p;
            execute(p, () -> {
                shards[partition].tick();
                long now = time.nanoseconds() / 1_000_000L;
                if (now >= nextExpiryMs[partition]) {
                    nextExpiryMs[partition] = now + config.offsetsRetentionCheckIntervalMs();
                    offsets[partition].expire(time.milliseconds());
                }
            }, () -> {
            });
        }
    }

    /**
     * From now on every request is answered NOT_COORDINATOR at once, and every parked JoinGroup
     * and SyncGroup is answered so, so a shutting-down broker need not wait for rebalances.
     */
    public void shutdown() {
        closing = true;
        for (int p = 0; p < shards.length; p++) {
            execute(p, shards[p]::unload, () -> {
            }, error -> {
            });
        }
    }

    /** Runs {@code task} on the owner of the group's partition; {@code fail} answers when it cannot. */
    private void run(String groupId, IntConsumer task, Consumer<Errors> fail) {
        if (groupId == null) {
            fail.accept(Errors.INVALID_GROUP_ID);
            return;
        }
        if (closing) {
            fail.accept(Errors.NOT_COORDINATOR);
            return;
        }
        int p = partitionFor(groupId);
        execute(p, () -> task.accept(p), () -> {
        }, fail);
    }

    private void execute(int partition, Runnable task, Runnable after) {
        execute(partition, task, after, error -> {
        });
    }

    private void execute(int partition, Runnable task, Runnable after, Consumer<Errors> fail) {
        try {
            owners[partition].execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("Group coordinator task on {} partition {} failed", OFFSETS_TOPIC, partition, e);
                    fail.accept(Errors.UNKNOWN_SERVER_ERROR);
                } finally {
                    after.run();
                }
            });
        } catch (RejectedExecutionException e) {
            fail.accept(Errors.NOT_COORDINATOR);
            after.run();
        }
    }

    /** Makes a callback answer at most once (a failure after a partial answer must not answer twice). */
    private static final class Once<T> implements Consumer<T> {
        private final Consumer<T> delegate;
        private boolean done;

        private Once(Consumer<T> delegate) {
            this.delegate = delegate;
        }

        static <T> Consumer<T> of(Consumer<T> delegate) {
            return new Once<>(delegate);
        }

        @Override
        public synchronized void accept(T value) {
            if (!done) {
                done = true;
                delegate.accept(value);
            }
        }
    }
}

package io.tidelog.client.consumer;

import io.tidelog.client.common.Clock;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.group.ConsumerProtocol;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.ConsumerProtocolAssignment;
import io.tidelog.protocol.message.ConsumerProtocolSubscription;
import io.tidelog.protocol.message.FindCoordinatorRequest;
import io.tidelog.protocol.message.FindCoordinatorResponse;
import io.tidelog.protocol.message.JoinGroupRequest;
import io.tidelog.protocol.message.JoinGroupResponse;
import io.tidelog.protocol.message.LeaveGroupRequest;
import io.tidelog.protocol.message.SyncGroupRequest;
import io.tidelog.protocol.message.SyncGroupResponse;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group membership with the classic (eager) protocol, run on the poll thread: find the
 * coordinator (FindCoordinator), revoke and commit before each rebalance, JoinGroup (answering
 * MEMBER_ID_REQUIRED from v4 on, KIP-394, by rejoining with the id given), run the assignor when
 * elected leader, SyncGroup, then hand the assignment to {@link SubscriptionState} and the
 * rebalance listener. Each step's request stays in flight across polls, so a short poll
 * timeout never abandons a join. Heartbeats are the network thread's ({@link Heartbeat}).
 *
 * <p>Invariants: partitions are revoked (listener told, auto-commit done) once per rebalance,
 * before the JoinGroup; the assignment is replaced only by a successful SyncGroup; listener
 * callbacks run only on the poll thread.
 */
final class ConsumerCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerCoordinator.class);
    /** Extra time a JoinGroup answer may take beyond the rebalance timeout (as Kafka allows). */
    private static final int JOIN_GROUP_GRACE_MS = 5000;

    private final ConsumerConfig config;
    private final SubscriptionState subscriptions;
    private final ConsumerMetadata metadata;
    private final NetworkThread io;
    private final GroupState group;
    private final Clock clock;
    private OffsetCommits commits;
    private CompletableFuture<ApiMessage> findFuture;
    private CompletableFuture<ApiMessage> joinFuture;
    private CompletableFuture<ApiMessage> syncFuture;
    private boolean joinPrepared;
    private boolean leader;
    private Set<String> groupTopics = Set.of();
    /** Partition counts of watched topics when the assignment was made; a change calls for a rebalance. */
    private final Map<String, Integer> assignedCounts = new HashMap<>();
    private RuntimeException listenerFailure;

    ConsumerCoordinator(ConsumerConfig config, SubscriptionState subscriptions, ConsumerMetadata metadata,
                        NetworkThread io, GroupState group) {
        this.config = config;
        this.subscriptions = subscriptions;
        this.metadata = metadata;
        this.io = io;
        this.group = group;
        this.clock = io.clock();
    }

    void commits(OffsetCommits offsetCommits) {
        this.commits = offsetCommits;
    }

    // ---- coordinator discovery ----

    /** Looks the coordinator up if unknown; false when {@code deadlineMs} passed first. */
    boolean ensureCoordinatorKnown(long deadlineMs) {
        while (group.coordinator() == null) {
            group.throwIfFatal();
            if (findFuture == null) {
                // The lookup outlives a short poll: the next call waits on the same request.
                findFuture = io.submit(NetworkThread.Target.ANY, ApiKey.FIND_COORDINATOR, this::findCoordinatorRequest,
                        sendDeadline(deadlineMs), 0);
            }
            if (!subscriptions.await(findFuture::isDone, deadlineMs)) {
                return false;
            }
            CompletableFuture<ApiMessage> done = findFuture;
            findFuture = null;
            FindCoordinatorResponse response = (FindCoordinatorResponse) result(done);
            if (response == null || !onFindCoordinator(response)) {
                if (!backOff(deadlineMs)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** How long a group request may wait for its connection: at least request.timeout.ms, even for poll(0). */
    private long sendDeadline(long deadlineMs) {
        return Math.max(deadlineMs, clock.milliseconds() + config.requestTimeoutMs());
    }

    private ApiMessage findCoordinatorRequest(short version) {
        FindCoordinatorRequest request = new FindCoordinatorRequest();
        if (version >= 4) {
            return request.setKeyType((byte) 0).setCoordinatorKeys(List.of(config.groupId()));
        }
        return request.setKey(config.groupId());
    }

    private boolean onFindCoordinator(FindCoordinatorResponse response) {
        Errors error;
        int nodeId;
        String host;
        int port;
        if (!response.coordinators().isEmpty()) {
            FindCoordinatorResponse.Coordinator c = response.coordinators().get(0);
            error = Errors.forCode(c.errorCode());
            nodeId = c.nodeId();
            host = c.host();
            port = c.port();
        } else {
            error = Errors.forCode(response.errorCode());
            nodeId = response.nodeId();
            host = response.host();
            port = response.port();
        }
        if (error == Errors.GROUP_AUTHORIZATION_FAILED) {
            group.fail(new GroupException(error, "not authorized to use group " + config.groupId()
                    + ": ask an administrator for access"));
            return false;
        }
        if (error != Errors.NONE) {
            LOG.debug("group coordinator for {} not available yet: {}", config.groupId(), error);
            return false;
        }
        InetSocketAddress address = InetSocketAddress.createUnresolved(host, port);
        // A connection of its own, so long JoinGroup waits never hold fetch answers behind them.
        group.coordinator(new GroupState.Coordinator(nodeId,
                new NetworkThread.Target(Integer.MAX_VALUE - nodeId, address)), clock.milliseconds());
        LOG.info("group coordinator for {} is broker {} at {}:{}", config.groupId(), nodeId, host, port);
        return true;
    }

    /** The response, or null after a retriable failure (coordinator forgotten if it was the target). */
    ApiMessage result(CompletableFuture<ApiMessage> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NetworkFailureException || cause instanceof ConsumerTimeoutException) {
                LOG.debug("group request failed: {}", cause.getMessage());
                group.coordinatorUnknown(null);
                return null;
            }
            if (cause instanceof ConsumerException ce) {
                throw ce;
            }
            throw new ConsumerException("group request failed: " + cause, cause);
        }
    }

    /** Waits retry.backoff.ms (or until the deadline); false if the deadline came first. */
    boolean backOff(long deadlineMs) {
        long until = Math.min(deadlineMs, clock.milliseconds() + config.retryBackoffMs());
        subscriptions.await(() -> false, until);
        return clock.milliseconds() < deadlineMs;
    }

    // ---- membership ----

    /**
     * Makes this member part of a stable generation with a current assignment, as far as
     * {@code deadlineMs} allows. Returns true when stable.
     */
    boolean ensureActiveGroup(long deadlineMs) {
        while (true) {
            group.throwIfFatal();
            throwListenerFailure();
            if (group.state() == GroupState.MemberState.STABLE) {
                noticeMetadataChange();
            }
            if (!group.rejoinNeeded() && group.state() == GroupState.MemberState.STABLE) {
                return true;
            }
            if (!ensureCoordinatorKnown(deadlineMs)) {
                return false;
            }
            if (!joinPrepared) {
                prepareJoin(deadlineMs);
            }
            if (syncFuture != null) {
                if (!subscriptions.await(syncFuture::isDone, deadlineMs)) {
                    return false;
                }
                CompletableFuture<ApiMessage> done = syncFuture;
                syncFuture = null;
                SyncGroupResponse response = (SyncGroupResponse) result(done);
                if (response != null) {
                    onSyncGroup(response);
                }
                continue;
            }
            if (joinFuture == null) {
                group.joining();
                joinFuture = io.submit(group.coordinator().target(), ApiKey.JOIN_GROUP, this::joinGroupRequest,
                        sendDeadline(deadlineMs), (long) config.maxPollIntervalMs() + JOIN_GROUP_GRACE_MS);
            }
            if (!subscriptions.await(joinFuture::isDone, deadlineMs)) {
                return false;
            }
            CompletableFuture<ApiMessage> done = joinFuture;
            joinFuture = null;
            JoinGroupResponse response = (JoinGroupResponse) result(done);
            if (response != null && !onJoinGroup(response, deadlineMs) && !backOff(deadlineMs)) {
                return false;
            }
        }
    }

    private void throwListenerFailure() {
        if (listenerFailure != null) {
            RuntimeException failure = listenerFailure;
            listenerFailure = null;
            throw new ConsumerException("the rebalance listener failed: " + failure, failure);
        }
    }

    /** Auto-commit, then tell the listener the partitions are revoked (or lost), then drop them. */
    private void prepareJoin(long deadlineMs) {
        Set<TopicPartition> owned = subscriptions.assignment();
        boolean lost = group.takePartitionsLost() || !group.hasGeneration();
        if (!lost && config.autoCommit() && !owned.isEmpty()) {
            long commitDeadline = Math.max(deadlineMs, clock.milliseconds()
                    + Math.min(config.maxPollIntervalMs(), config.defaultApiTimeoutMs()));
            try {
                commits.commitSync(subscriptions.allConsumed(), commitDeadline);
            } catch (WakeupException e) {
                throw e;
            } catch (ConsumerException e) {
                LOG.warn("auto-commit before rebalance of group {} failed: {}", config.groupId(), e.getMessage());
            }
        }
        ConsumerRebalanceListener listener = subscriptions.listener();
        WakeupException wakeup = null;
        if (!owned.isEmpty() && listener != null) {
            try {
                if (lost) {
                    listener.onPartitionsLost(owned);
                } else {
                    listener.onPartitionsRevoked(owned);
                }
            } catch (WakeupException e) {
                wakeup = e;
            } catch (RuntimeException e) {
                LOG.error("rebalance listener failed on {} partitions {}", lost ? "lost" : "revoked", owned, e);
                listenerFailure = e;
            }
        }
        subscriptions.assignFromGroup(List.of());
        joinPrepared = true;
        if (wakeup != null) {
            // The partitions are revoked; the poll that was woken reports it, the next one rejoins.
            throw wakeup;
        }
    }

    private ApiMessage joinGroupRequest(short version) {
        if (config.groupInstanceId() != null && version < 5) {
            throw new ConsumerException("the group coordinator does not support static membership (JoinGroup v5+); "
                    + "remove group.instance.id or upgrade the broker");
        }
        ConsumerProtocolSubscription subscription = new ConsumerProtocolSubscription()
                .setTopics(new ArrayList<>(new TreeSet<>(subscriptions.subscription())))
                .setOwnedPartitions(new ArrayList<>())
                .setGenerationId(group.generationId())
                .setRackId(config.clientRack().isEmpty() ? null : config.clientRack());
        byte[] metadataBytes = ConsumerProtocol.writeSubscription(subscription, (short) 3);
        List<JoinGroupRequest.JoinGroupRequestProtocol> protocols = new ArrayList<>();
        for (String assignor : config.assignors()) {
            protocols.add(new JoinGroupRequest.JoinGroupRequestProtocol().setName(assignor).setMetadata(metadataBytes));
        }
        return new JoinGroupRequest().setGroupId(config.groupId()).setSessionTimeoutMs(config.sessionTimeoutMs())
                .setRebalanceTimeoutMs(config.maxPollIntervalMs()).setMemberId(group.memberId())
                .setGroupInstanceId(config.groupInstanceId()).setProtocolType(ConsumerProtocol.PROTOCOL_TYPE)
                .setProtocols(protocols).setReason(group.rejoinReason());
    }

    /** Returns false when the join must be retried after a backoff. */
    private boolean onJoinGroup(JoinGroupResponse response, long deadlineMs) {
        Errors error = Errors.forCode(response.errorCode());
        switch (error) {
            case NONE -> {
                group.joined(response.generationId(), response.memberId(), response.protocolName());
                leader = response.leader().equals(response.memberId());
                LOG.info("joined group {} generation {} as {}{} (assignor {})", config.groupId(),
                        response.generationId(), response.memberId(), leader ? ", the leader" : "",
                        response.protocolName());
                List<SyncGroupRequest.SyncGroupRequestAssignment> assignments = leader
                        ? assign(response) : new ArrayList<>();
                int generation = response.generationId();
                String memberId = response.memberId();
                String protocol = response.protocolName();
                syncFuture = io.submit(group.coordinator().target(), ApiKey.SYNC_GROUP, version -> new SyncGroupRequest()
                                .setGroupId(config.groupId()).setGenerationId(generation).setMemberId(memberId)
                                .setGroupInstanceId(config.groupInstanceId())
                                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE).setProtocolName(protocol)
                                .setAssignments(assignments),
                        sendDeadline(deadlineMs), 0);
                return true;
            }
            case MEMBER_ID_REQUIRED -> {
                group.memberId(response.memberId());
                return true;
            }
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                group.resetGeneration("the coordinator did not know this member (" + error + ")");
                return true;
            }
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> {
                group.coordinatorUnknown(null);
                return false;
            }
            case COORDINATOR_LOAD_IN_PROGRESS, REBALANCE_IN_PROGRESS, REQUEST_TIMED_OUT, UNKNOWN_SERVER_ERROR -> {
                return false;
            }
            case FENCED_INSTANCE_ID -> throw fail(new FencedInstanceIdException("another consumer joined group "
                    + config.groupId() + " with group.instance.id=" + config.groupInstanceId()
                    + "; give each running consumer its own group.instance.id"));
            default -> throw fail(new GroupException(error, joinRefusal(error)));
        }
    }

    private String joinRefusal(Errors error) {
        String base = "group " + config.groupId() + " refused this member (" + error + "): ";
        return switch (error) {
            case INCONSISTENT_GROUP_PROTOCOL -> base + "its members share no partition.assignment.strategy (this "
                    + "consumer offers " + config.assignors() + ") or the group is not a consumer group; use a "
                    + "strategy every member supports, e.g. range";
            case INVALID_SESSION_TIMEOUT -> base + "session.timeout.ms=" + config.sessionTimeoutMs() + " is outside "
                    + "the broker's group.min.session.timeout.ms..group.max.session.timeout.ms";
            case GROUP_MAX_SIZE_REACHED -> base + "the group has as many members as the broker's group.max.size "
                    + "allows";
            case GROUP_AUTHORIZATION_FAILED -> base + "ask an administrator for access to the group";
            case INVALID_GROUP_ID -> base + "group.id is not a valid group id";
            default -> base + "see the broker's log";
        };
    }

    private ConsumerException fail(ConsumerException e) {
        group.fail(e);
        return e;
    }

    /** The leader's job: run the assignor the coordinator chose over every member's subscription. */
    private List<SyncGroupRequest.SyncGroupRequestAssignment> assign(JoinGroupResponse response) {
        List<Assignors.Member> members = new ArrayList<>();
        Set<String> topics = new TreeSet<>();
        short version = 3;
        for (JoinGroupResponse.JoinGroupResponseMember member : response.members()) {
            ConsumerProtocolSubscription subscription = ConsumerProtocol.readSubscription(member.metadata());
            version = (short) Math.min(version, ConsumerProtocol.version(member.metadata()));
            members.add(new Assignors.Member(member.memberId(), member.groupInstanceId(),
                    Set.copyOf(subscription.topics())));
            topics.addAll(subscription.topics());
        }
        groupTopics = Set.copyOf(topics);
        awaitMetadataFor(topics);
        Map<String, Integer> counts = metadata.partitionCounts(topics);
        Map<String, List<TopicPartition>> assignment = Assignors.assign(response.protocolName(), members, counts);
        List<SyncGroupRequest.SyncGroupRequestAssignment> out = new ArrayList<>();
        for (Map.Entry<String, List<TopicPartition>> entry : assignment.entrySet()) {
            out.add(new SyncGroupRequest.SyncGroupRequestAssignment().setMemberId(entry.getKey())
                    .setAssignment(ConsumerProtocol.writeAssignment(toAssignment(entry.getValue()),
                            (short) Math.max(0, version))));
        }
        LOG.info("assigned partitions of {} in group {}: {}", topics, config.groupId(), assignment);
        return out;
    }

    /** Waits (up to request.timeout.ms) for metadata naming every topic the group subscribes to. */
    private void awaitMetadataFor(Set<String> topics) {
        metadata.addTopics(topics);
        long since = metadata.version();
        metadata.requestUpdate();
        io.wakeup();
        long deadline = clock.milliseconds() + config.requestTimeoutMs();
        subscriptions.await(() -> metadata.version() > since && topics.stream().allMatch(t -> metadata.topic(t) != null),
                deadline);
    }

    private static ConsumerProtocolAssignment toAssignment(List<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new java.util.TreeMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        List<ConsumerProtocolAssignment.TopicPartition> out = new ArrayList<>();
        byTopic.forEach((topic, list) -> out.add(new ConsumerProtocolAssignment.TopicPartition().setTopic(topic)
                .setPartitions(list)));
        return new ConsumerProtocolAssignment().setAssignedPartitions(out);
    }

    private void onSyncGroup(SyncGroupResponse response) {
        Errors error = Errors.forCode(response.errorCode());
        switch (error) {
            case NONE -> onAssignment(response.assignment());
            case REBALANCE_IN_PROGRESS -> group.requestRejoin("the group rebalanced again during sync");
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> group.resetGeneration("sync refused (" + error + ")");
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> {
                group.coordinatorUnknown(null);
                group.requestRejoin("the coordinator moved during sync");
            }
            case FENCED_INSTANCE_ID -> throw fail(new FencedInstanceIdException("another consumer joined group "
                    + config.groupId() + " with group.instance.id=" + config.groupInstanceId()
                    + "; give each running consumer its own group.instance.id"));
            default -> throw fail(new GroupException(error, "group " + config.groupId() + " refused SyncGroup ("
                    + error + ")"));
        }
    }

    private void onAssignment(byte[] bytes) {
        List<TopicPartition> partitions = new ArrayList<>();
        if (bytes != null && bytes.length > 0) {
            for (ConsumerProtocolAssignment.TopicPartition topic : ConsumerProtocol.readAssignment(bytes)
                    .assignedPartitions()) {
                for (int partition : topic.partitions()) {
                    partitions.add(new TopicPartition(topic.topic(), partition));
                }
            }
        }
        group.stable(clock.milliseconds());
        joinPrepared = false;
        subscriptions.assignFromGroup(partitions);
        Set<String> watched = new java.util.HashSet<>(subscriptions.subscription());
        for (TopicPartition tp : partitions) {
            watched.add(tp.topic());
        }
        if (leader) {
            watched.addAll(groupTopics);
        }
        metadata.addTopics(watched);
        assignedCounts.clear();
        assignedCounts.putAll(countsWithMissingAsZero(leader ? groupTopics : subscriptions.subscription()));
        LOG.info("group {} generation {}: assigned {}", config.groupId(), group.generationId(), partitions);
        ConsumerRebalanceListener listener = subscriptions.listener();
        if (listener != null) {
            try {
                listener.onPartitionsAssigned(partitions);
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("rebalance listener failed on assigned partitions {}", partitions, e);
                listenerFailure = e;
            }
        }
    }

    private Map<String, Integer> countsWithMissingAsZero(Collection<String> topics) {
        Map<String, Integer> counts = new HashMap<>();
        for (String topic : topics) {
            ConsumerMetadata.TopicInfo info = metadata.topic(topic);
            if (info != null) {
                counts.put(topic, info.error() == Errors.NONE ? info.partitions().size() : 0);
            }
        }
        return counts;
    }

    /** A watched topic appeared, or its partition count changed: the assignment is out of date. */
    private void noticeMetadataChange() {
        Map<String, Integer> now = countsWithMissingAsZero(leader ? groupTopics : subscriptions.subscription());
        for (Map.Entry<String, Integer> entry : now.entrySet()) {
            Integer before = assignedCounts.putIfAbsent(entry.getKey(), entry.getValue());
            if (before != null && !before.equals(entry.getValue())) {
                LOG.info("topic {} now has {} partitions (was {}): rebalancing group {}", entry.getKey(),
                        entry.getValue(), before, config.groupId());
                group.requestRejoin("partitions of a subscribed topic changed");
                return;
            }
        }
    }

    /** The subscription changed while in a group: rebalance so the leader sees the new topics. */
    void onSubscriptionChange() {
        if (group.state() != GroupState.MemberState.UNJOINED) {
            group.requestRejoin("the subscription changed");
        }
    }

    // ---- leaving ----

    /**
     * Revokes the partitions (listener told) and leaves the group: a dynamic member sends
     * LeaveGroup so the group rebalances at once; a static member stays until its session times
     * out (so a quick restart keeps its partitions).
     */
    void leave(String reason, long deadlineMs) {
        Set<TopicPartition> owned = subscriptions.assignment();
        ConsumerRebalanceListener listener = subscriptions.listener();
        if (!owned.isEmpty() && listener != null) {
            boolean lost = !group.hasGeneration();
            try {
                if (lost) {
                    listener.onPartitionsLost(owned);
                } else {
                    listener.onPartitionsRevoked(owned);
                }
            } catch (RuntimeException e) {
                LOG.error("rebalance listener failed while leaving", e);
            }
        }
        GroupState.Coordinator coordinator = group.coordinator();
        if (config.groupInstanceId() == null && group.hasGeneration() && coordinator != null) {
            String memberId = group.memberId();
            CompletableFuture<ApiMessage> future = io.submit(coordinator.target(), ApiKey.LEAVE_GROUP,
                    version -> leaveGroupRequest(version, config, memberId, reason), deadlineMs, 0);
            try {
                subscriptions.await(future::isDone, deadlineMs);
            } catch (WakeupException e) {
                // leaving anyway
            }
            LOG.info("left group {} ({})", config.groupId(), reason);
        }
        group.resetGeneration(reason);
        group.takePartitionsLost();
        joinFuture = null;
        syncFuture = null;
        joinPrepared = false;
    }

    static LeaveGroupRequest leaveGroupRequest(short version, ConsumerConfig config, String memberId, String reason) {
        LeaveGroupRequest request = new LeaveGroupRequest().setGroupId(config.groupId());
        if (version < 3) {
            return request.setMemberId(memberId);
        }
        return request.setMembers(List.of(new LeaveGroupRequest.MemberIdentity().setMemberId(memberId)
                .setGroupInstanceId(config.groupInstanceId()).setReason(reason)));
    }
}

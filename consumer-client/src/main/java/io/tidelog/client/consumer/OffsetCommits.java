package io.tidelog.client.consumer;

import io.tidelog.client.common.Clock;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.OffsetCommitRequest;
import io.tidelog.protocol.message.OffsetCommitResponse;
import io.tidelog.protocol.message.OffsetFetchRequest;
import io.tidelog.protocol.message.OffsetFetchResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed offsets, on the poll thread: OffsetCommit (sync, async, auto-commit every
 * {@code auto.commit.interval.ms}) and OffsetFetch. A member of a generation commits with its
 * generation and member id, so a commit from a member the group has moved on from fails with
 * {@link CommitFailedException} instead of overwriting the new owner's progress; a consumer using
 * {@code assign} commits as a standalone member (generation -1).
 *
 * <p>Async commit callbacks run in order of the commits, on the poll thread, during poll,
 * commitSync or close.
 */
final class OffsetCommits {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommits.class);

    private static final class AsyncCommit {
        final Map<TopicPartition, OffsetAndMetadata> offsets;
        final OffsetCommitCallback callback;
        CompletableFuture<ApiMessage> future;

        AsyncCommit(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            this.offsets = offsets;
            this.callback = callback;
        }
    }

    /** A commit that may be retried (the coordinator moved or was busy). */
    private static final class RetriableCommit extends ConsumerException {
        RetriableCommit(String message) {
            super(message);
        }
    }

    private final ConsumerConfig config;
    private final SubscriptionState subscriptions;
    private final NetworkThread io;
    private final GroupState group;
    private final ConsumerCoordinator coordinator;
    private final Clock clock;
    private final ArrayDeque<AsyncCommit> asyncCommits = new ArrayDeque<>();
    private long nextAutoCommitMs;

    OffsetCommits(ConsumerConfig config, SubscriptionState subscriptions, NetworkThread io, GroupState group,
                  ConsumerCoordinator coordinator) {
        this.config = config;
        this.subscriptions = subscriptions;
        this.io = io;
        this.group = group;
        this.coordinator = coordinator;
        this.clock = io.clock();
        this.nextAutoCommitMs = clock.milliseconds() + config.autoCommitIntervalMs();
    }

    private void requireGroup(String what) {
        if (config.groupId() == null) {
            throw new ConsumerException(what + " needs a consumer group: set group.id");
        }
    }

    // ---- commit ----

    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineMs) {
        requireGroup("committing offsets");
        invokeCompletedCallbacks();
        if (offsets.isEmpty()) {
            return;
        }
        while (true) {
            group.throwIfFatal();
            if (!coordinator.ensureCoordinatorKnown(deadlineMs)) {
                throw commitTimeout(offsets, "the group coordinator of " + config.groupId() + " could not be found");
            }
            CompletableFuture<ApiMessage> future = send(offsets, deadlineMs);
            if (!subscriptions.await(future::isDone, deadlineMs)) {
                throw commitTimeout(offsets, "the coordinator did not answer; the offsets may or may not be committed");
            }
            try {
                onCommitResponse(offsets, future);
                return;
            } catch (RetriableCommit e) {
                LOG.debug("retrying commit: {}", e.getMessage());
                if (!coordinator.backOff(deadlineMs)) {
                    throw commitTimeout(offsets, e.getMessage());
                }
            }
        }
    }

    private ConsumerTimeoutException commitTimeout(Map<TopicPartition, OffsetAndMetadata> offsets, String why) {
        return new ConsumerTimeoutException("offset commit of " + offsets.size() + " partition(s) for group "
                + config.groupId() + " not acknowledged in time: " + why + "; retry, or pass a longer timeout");
    }

    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        requireGroup("committing offsets");
        asyncCommits.add(new AsyncCommit(Map.copyOf(offsets), callback));
        sendAsyncCommits();
    }

    /** Sends queued async commits once the coordinator is known (looking it up without blocking). */
    void sendAsyncCommits() {
        boolean waiting = false;
        for (AsyncCommit commit : asyncCommits) {
            waiting |= commit.future == null;
        }
        if (!waiting) {
            return;
        }
        long nowMs = clock.milliseconds();
        if (group.coordinator() == null && !coordinator.ensureCoordinatorKnown(nowMs)) {
            return;
        }
        for (AsyncCommit commit : asyncCommits) {
            if (commit.future == null) {
                commit.future = commit.offsets.isEmpty() ? CompletableFuture.completedFuture(null)
                        : send(commit.offsets, nowMs + config.defaultApiTimeoutMs());
            }
        }
    }

    /** Runs the callbacks of finished async commits, in commit order. */
    void invokeCompletedCallbacks() {
        while (!asyncCommits.isEmpty()) {
            AsyncCommit head = asyncCommits.peekFirst();
            if (head.future == null || !head.future.isDone()) {
                return;
            }
            asyncCommits.pollFirst();
            Exception failure = null;
            try {
                if (!head.offsets.isEmpty()) {
                    onCommitResponse(head.offsets, head.future);
                }
            } catch (ConsumerException e) {
                failure = e;
                LOG.warn("asynchronous offset commit for group {} failed: {}", config.groupId(), e.getMessage());
            }
            if (head.callback != null) {
                head.callback.onComplete(head.offsets, failure);
            }
        }
    }

    /** Waits up to {@code deadlineMs} for async commits in flight (close). */
    void awaitAsyncCommits(long deadlineMs) {
        sendAsyncCommits();
        subscriptions.await(() -> asyncCommits.stream().allMatch(c -> c.future != null && c.future.isDone()),
                deadlineMs);
        invokeCompletedCallbacks();
    }

    /** Auto-commit: every auto.commit.interval.ms, the positions of what poll has returned. */
    void maybeAutoCommit(long nowMs) {
        if (!config.autoCommit() || nowMs < nextAutoCommitMs) {
            return;
        }
        if (subscriptions.mode() == SubscriptionState.Mode.SUBSCRIBED
                && group.state() != GroupState.MemberState.STABLE) {
            return;
        }
        nextAutoCommitMs = nowMs + config.autoCommitIntervalMs();
        Map<TopicPartition, OffsetAndMetadata> offsets = subscriptions.allConsumed();
        if (!offsets.isEmpty()) {
            commitAsync(offsets, null);
        }
    }

    private CompletableFuture<ApiMessage> send(Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineMs) {
        int generation;
        String memberId;
        if (subscriptions.mode() == SubscriptionState.Mode.SUBSCRIBED) {
            if (!group.hasGeneration()) {
                throw new CommitFailedException("cannot commit: this member is not in a generation of group "
                        + config.groupId() + " (" + group.rejoinReason() + "), so its partitions may belong to "
                        + "another member now; poll to rejoin, then process and commit again. If poll was not "
                        + "called within max.poll.interval.ms=" + config.maxPollIntervalMs() + ", process faster, "
                        + "lower max.poll.records or raise max.poll.interval.ms");
            }
            generation = group.generationId();
            memberId = group.memberId();
        } else {
            generation = -1;
            memberId = "";
        }
        Map<String, OffsetCommitRequest.OffsetCommitRequestTopic> topics = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> topics.computeIfAbsent(tp.topic(), t -> new OffsetCommitRequest
                        .OffsetCommitRequestTopic().setName(t).setPartitions(new ArrayList<>()))
                .partitions().add(new OffsetCommitRequest.OffsetCommitRequestTopic.OffsetCommitRequestPartition()
                        .setPartitionIndex(tp.partition()).setCommittedOffset(offset.offset())
                        .setCommittedLeaderEpoch(offset.leaderEpoch()).setCommittedMetadata(offset.metadata())));
        String instanceId = subscriptions.mode() == SubscriptionState.Mode.SUBSCRIBED ? config.groupInstanceId() : null;
        GroupState.Coordinator target = group.coordinator();
        if (target == null) {
            CompletableFuture<ApiMessage> failed = new CompletableFuture<>();
            failed.completeExceptionally(new NetworkFailureException("the group coordinator is not known", null));
            return failed;
        }
        return io.submit(target.target(), ApiKey.OFFSET_COMMIT, version -> new OffsetCommitRequest()
                .setGroupId(config.groupId()).setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setGroupInstanceId(version >= 7 ? instanceId : null).setRetentionTimeMs(-1)
                .setTopics(new ArrayList<>(topics.values())), deadlineMs, 0);
    }

    private void onCommitResponse(Map<TopicPartition, OffsetAndMetadata> offsets, CompletableFuture<ApiMessage> future) {
        OffsetCommitResponse response;
        try {
            response = (OffsetCommitResponse) future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof NetworkFailureException || e.getCause() instanceof ConsumerTimeoutException) {
                group.coordinatorUnknown(null);
                throw new RetriableCommit("the commit did not reach the coordinator: " + e.getCause().getMessage());
            }
            throw e.getCause() instanceof ConsumerException ce ? ce
                    : new ConsumerException("offset commit failed: " + e.getCause(), e.getCause());
        }
        for (OffsetCommitResponse.OffsetCommitResponseTopic topic : response.topics()) {
            for (OffsetCommitResponse.OffsetCommitResponseTopic.OffsetCommitResponsePartition partition
                    : topic.partitions()) {
                Errors error = Errors.forCode(partition.errorCode());
                if (error != Errors.NONE) {
                    throw commitError(error, new TopicPartition(topic.name(), partition.partitionIndex()));
                }
            }
        }
    }

    private ConsumerException commitError(Errors error, TopicPartition tp) {
        switch (error) {
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, REQUEST_TIMED_OUT -> {
                group.coordinatorUnknown(null);
                return new RetriableCommit("the coordinator moved (" + error + ")");
            }
            case COORDINATOR_LOAD_IN_PROGRESS, UNKNOWN_TOPIC_OR_PARTITION, UNSTABLE_OFFSET_COMMIT ->
                    throw new RetriableCommit("the coordinator answered " + error + ", which may pass");
            case REBALANCE_IN_PROGRESS -> {
                group.requestRejoin("a commit found the group rebalancing");
                return new CommitFailedException("cannot commit: group " + config.groupId() + " is rebalancing, and "
                        + "the partitions may move to another member; poll to finish the rebalance, then process "
                        + "and commit again");
            }
            case ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID -> {
                group.resetGeneration("a commit was refused (" + error + ")");
                return new CommitFailedException("cannot commit: group " + config.groupId() + " has moved on "
                        + "without this member (" + error + "), usually because poll was not called within "
                        + "max.poll.interval.ms=" + config.maxPollIntervalMs() + "; its partitions may belong to "
                        + "another member now. Process faster, lower max.poll.records or raise max.poll.interval.ms");
            }
            case FENCED_INSTANCE_ID -> {
                FencedInstanceIdException fenced = new FencedInstanceIdException("another consumer took over "
                        + "group.instance.id=" + config.groupInstanceId() + " in group " + config.groupId());
                group.fail(fenced);
                return fenced;
            }
            case OFFSET_METADATA_TOO_LARGE -> {
                return new ConsumerException("the metadata string committed for " + tp + " is larger than the "
                        + "broker's offset.metadata.max.bytes; commit shorter metadata");
            }
            case GROUP_AUTHORIZATION_FAILED, TOPIC_AUTHORIZATION_FAILED -> {
                return new ConsumerException("not authorized to commit offsets of " + tp + " for group "
                        + config.groupId() + " (" + error + ")");
            }
            default -> {
                return new ConsumerException("offset commit of " + tp + " for group " + config.groupId()
                        + " failed: " + error);
            }
        }
    }

    // ---- fetch committed ----

    /** The committed offsets of {@code partitions} (absent when none), or null when the deadline passed. */
    Map<TopicPartition, OffsetAndMetadata> fetchCommitted(Set<TopicPartition> partitions, long deadlineMs) {
        requireGroup("reading committed offsets");
        if (partitions.isEmpty()) {
            return Map.of();
        }
        while (true) {
            group.throwIfFatal();
            if (!coordinator.ensureCoordinatorKnown(deadlineMs)) {
                return null;
            }
            Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) {
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
            }
            CompletableFuture<ApiMessage> future = io.submit(group.coordinator().target(), ApiKey.OFFSET_FETCH,
                    version -> offsetFetchRequest(version, byTopic), deadlineMs, 0);
            if (!subscriptions.await(future::isDone, deadlineMs)) {
                return null;
            }
            OffsetFetchResponse response = (OffsetFetchResponse) coordinator.result(future);
            Map<TopicPartition, OffsetAndMetadata> result = response == null ? null : onOffsetFetch(response);
            if (result != null) {
                return result;
            }
            if (!coordinator.backOff(deadlineMs)) {
                return null;
            }
        }
    }

    private ApiMessage offsetFetchRequest(short version, Map<String, List<Integer>> byTopic) {
        if (version >= 8) {
            List<OffsetFetchRequest.OffsetFetchRequestGroup.OffsetFetchRequestTopics> topics = new ArrayList<>();
            byTopic.forEach((topic, partitions) -> topics.add(
                    new OffsetFetchRequest.OffsetFetchRequestGroup.OffsetFetchRequestTopics().setName(topic)
                            .setPartitionIndexes(partitions)));
            return new OffsetFetchRequest().setGroups(List.of(new OffsetFetchRequest.OffsetFetchRequestGroup()
                    .setGroupId(config.groupId()).setMemberEpoch(-1).setTopics(topics)));
        }
        List<OffsetFetchRequest.OffsetFetchRequestTopic> topics = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> topics.add(new OffsetFetchRequest.OffsetFetchRequestTopic()
                .setName(topic).setPartitionIndexes(partitions)));
        return new OffsetFetchRequest().setGroupId(config.groupId()).setTopics(topics);
    }

    /** The offsets, or null when the coordinator was busy or moved (retry). */
    private Map<TopicPartition, OffsetAndMetadata> onOffsetFetch(OffsetFetchResponse response) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        if (!response.groups().isEmpty()) {
            OffsetFetchResponse.OffsetFetchResponseGroup result = response.groups().get(0);
            if (!acceptable(Errors.forCode(result.errorCode()))) {
                return null;
            }
            for (OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics topic : result.topics()) {
                for (OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics.OffsetFetchResponsePartitions p
                        : topic.partitions()) {
                    if (!acceptable(Errors.forCode(p.errorCode()))) {
                        return null;
                    }
                    put(out, topic.name(), p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(),
                            p.metadata());
                }
            }
            return out;
        }
        if (!acceptable(Errors.forCode(response.errorCode()))) {
            return null;
        }
        for (OffsetFetchResponse.OffsetFetchResponseTopic topic : response.topics()) {
            for (OffsetFetchResponse.OffsetFetchResponseTopic.OffsetFetchResponsePartition p : topic.partitions()) {
                if (!acceptable(Errors.forCode(p.errorCode()))) {
                    return null;
                }
                put(out, topic.name(), p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(), p.metadata());
            }
        }
        return out;
    }

    private static void put(Map<TopicPartition, OffsetAndMetadata> out, String topic, int partition, long offset,
                            int epoch, String metadata) {
        if (offset >= 0) {
            out.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset, epoch, metadata));
        }
    }

    /** True for answers to use; false for ones to retry; throws for the rest. */
    private boolean acceptable(Errors error) {
        switch (error) {
            case NONE, UNKNOWN_TOPIC_OR_PARTITION -> {
                return true;
            }
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> {
                group.coordinatorUnknown(null);
                return false;
            }
            case COORDINATOR_LOAD_IN_PROGRESS, UNSTABLE_OFFSET_COMMIT -> {
                return false;
            }
            case GROUP_AUTHORIZATION_FAILED, TOPIC_AUTHORIZATION_FAILED -> throw new ConsumerException(
                    "not authorized to read committed offsets of group " + config.groupId() + " (" + error + ")");
            default -> throw new ConsumerException("reading committed offsets of group " + config.groupId()
                    + " failed: " + error);
        }
    }
}

package io.tidelog.client.consumer;

import io.tidelog.client.common.Clock;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.client.consumer.ConsumerConfig.OffsetResetStrategy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What this consumer reads and where it stands: the subscription or manual assignment, and per
 * assigned partition its fetch state, position, pause flag and the fetched data not yet returned.
 * Shared by the poll thread and the network thread; every method holds this object's monitor,
 * which is also the one condition a blocked poll waits on ({@link #await}).
 *
 * <p>Invariants: a partition is fetched only in state FETCHING, unpaused, with no buffered
 * {@link CompletedFetch} and no pending error; {@code position} is the offset of the next record
 * the application will see; a {@link CompletedFetch} is used only while its fetch offset equals
 * the position it was fetched for (a seek discards it).
 */
final class SubscriptionState {

    enum FetchState {
        /** Assigned, no position yet: committed offset (group) or the reset policy decides. */
        INITIALIZING,
        /** A ListOffsets lookup (earliest/latest) will set the position. */
        AWAIT_RESET,
        /** The leader changed: OffsetForLeaderEpoch must confirm the position is still on the log. */
        AWAIT_VALIDATION,
        FETCHING
    }

    /** The state of one assigned partition; fields guarded by the enclosing monitor. */
    static final class PartitionState {
        final TopicPartition tp;
        FetchState state = FetchState.INITIALIZING;
        long position = -1;
        /** Leader epoch of the batch holding the record before {@code position}, -1 if unknown. */
        int offsetEpoch = -1;
        /** The leader epoch the position was last confirmed under, -1 if none yet. */
        int leaderEpoch = -1;
        OffsetResetStrategy resetStrategy;
        boolean paused;
        CompletedFetch completed;
        /** A ListOffsets or OffsetForLeaderEpoch for this partition awaits its answer. */
        boolean lookupInFlight;
        long retryNotBeforeMs;
        /** Thrown by poll until the application seeks (reset policy none). */
        ConsumerException error;
        long highWatermark = -1;
        long logStartOffset = -1;

        PartitionState(TopicPartition tp) {
            this.tp = tp;
        }

        boolean hasPosition() {
            return state == FetchState.FETCHING || state == FetchState.AWAIT_VALIDATION;
        }
    }

    enum Mode { NONE, MANUAL, SUBSCRIBED }

    private final Clock clock;
    private final OffsetResetStrategy defaultReset;
    private final Map<TopicPartition, PartitionState> assigned = new LinkedHashMap<>();
    private Set<String> subscription = Set.of();
    private ConsumerRebalanceListener listener;
    private Mode mode = Mode.NONE;
    private boolean wakeupRequested;

    SubscriptionState(Clock clock, OffsetResetStrategy defaultReset) {
        this.clock = clock;
        this.defaultReset = defaultReset;
    }

    OffsetResetStrategy defaultReset() {
        return defaultReset;
    }

    // ---- what is read ----

    synchronized void assignFromUser(Collection<TopicPartition> partitions) {
        if (mode == Mode.SUBSCRIBED) {
            throw new IllegalStateException("subscribe() was called: call unsubscribe() before assign()");
        }
        mode = partitions.isEmpty() ? Mode.NONE : Mode.MANUAL;
        replaceAssignment(partitions);
    }

    synchronized void subscribe(Set<String> topics, ConsumerRebalanceListener rebalanceListener) {
        if (mode == Mode.MANUAL) {
            throw new IllegalStateException("assign() was called: call unsubscribe() before subscribe()");
        }
        mode = Mode.SUBSCRIBED;
        subscription = Set.copyOf(topics);
        listener = rebalanceListener;
    }

    synchronized void unsubscribe() {
        mode = Mode.NONE;
        subscription = Set.of();
        listener = null;
        assigned.clear();
        notifyAll();
    }

    /** The partitions the group gave this member (eager: replaces the whole set). */
    synchronized void assignFromGroup(Collection<TopicPartition> partitions) {
        replaceAssignment(partitions);
    }

    private void replaceAssignment(Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionState> next = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionState existing = assigned.get(tp);
            next.put(tp, existing != null ? existing : new PartitionState(tp));
        }
        assigned.clear();
        assigned.putAll(next);
        notifyAll();
    }

    synchronized Mode mode() {
        return mode;
    }

    synchronized Set<String> subscription() {
        return subscription;
    }

    synchronized ConsumerRebalanceListener listener() {
        return listener;
    }

    synchronized Set<TopicPartition> assignment() {
        return Set.copyOf(assigned.keySet());
    }

    /** The topics of assigned partitions. */
    synchronized Set<String> assignedTopics() {
        Set<String> topics = new LinkedHashSet<>();
        for (TopicPartition tp : assigned.keySet()) {
            topics.add(tp.topic());
        }
        return topics;
    }

    synchronized boolean isAssigned(TopicPartition tp) {
        return assigned.containsKey(tp);
    }

    /** The state of an assigned partition, or null; only use while holding this monitor. */
    PartitionState state(TopicPartition tp) {
        return assigned.get(tp);
    }

    /** All assigned partitions' states in assignment order; only use while holding this monitor. */
    Collection<PartitionState> states() {
        return assigned.values();
    }

    private PartitionState require(TopicPartition tp) {
        PartitionState state = assigned.get(tp);
        if (state == null) {
            throw new IllegalStateException("partition " + tp + " is not assigned to this consumer (assignment: "
                    + assigned.keySet() + ")");
        }
        return state;
    }

    // ---- positions ----

    synchronized void seek(TopicPartition tp, long offset, int offsetEpoch) {
        PartitionState state = require(tp);
        state.state = FetchState.FETCHING;
        state.position = offset;
        state.offsetEpoch = offsetEpoch;
        state.leaderEpoch = -1;
        clearFetchState(state);
        notifyAll();
    }

    synchronized void requestReset(Collection<TopicPartition> partitions, OffsetResetStrategy strategy) {
        for (TopicPartition tp : partitions) {
            PartitionState state = require(tp);
            state.state = FetchState.AWAIT_RESET;
            state.resetStrategy = strategy;
            clearFetchState(state);
        }
        notifyAll();
    }

    private static void clearFetchState(PartitionState state) {
        state.completed = null;
        state.error = null;
        state.lookupInFlight = false;
        state.retryNotBeforeMs = 0;
    }

    /** The position if the partition has one, else -1. */
    synchronized long position(TopicPartition tp) {
        PartitionState state = require(tp);
        return state.hasPosition() ? state.position : -1;
    }

    /** Positions (with offset epochs) of every assigned partition that has one: what to commit. */
    synchronized Map<TopicPartition, OffsetAndMetadata> allConsumed() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (PartitionState state : assigned.values()) {
            if (state.hasPosition()) {
                offsets.put(state.tp, new OffsetAndMetadata(state.position, state.offsetEpoch, ""));
            }
        }
        return offsets;
    }

    synchronized List<TopicPartition> partitionsIn(FetchState fetchState) {
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionState state : assigned.values()) {
            if (state.state == fetchState) {
                out.add(state.tp);
            }
        }
        return out;
    }

    /** Throws the first pending error of an assigned partition (reset policy none, truncation). */
    synchronized void throwPendingError() {
        for (PartitionState state : assigned.values()) {
            if (state.error != null) {
                throw state.error;
            }
        }
    }

    // ---- pause ----

    synchronized void pause(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            require(tp).paused = true;
        }
    }

    synchronized void resume(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            require(tp).paused = false;
        }
        notifyAll();
    }

    synchronized Set<TopicPartition> paused() {
        Set<TopicPartition> out = new LinkedHashSet<>();
        for (PartitionState state : assigned.values()) {
            if (state.paused) {
                out.add(state.tp);
            }
        }
        return out;
    }

    // ---- waiting (the one condition of the consumer) ----

    /** Wakes the poll thread: new data, an answer, a state change. */
    synchronized void signal() {
        notifyAll();
    }

    /** Makes the current or next blocking call throw {@link WakeupException}. */
    synchronized void wakeup() {
        wakeupRequested = true;
        notifyAll();
    }

    /** Forgets a pending wakeup (close must not fail because of one). */
    synchronized void clearWakeup() {
        wakeupRequested = false;
    }

    synchronized void maybeThrowWakeup() {
        if (wakeupRequested) {
            wakeupRequested = false;
            throw new WakeupException();
        }
    }

    /**
     * Waits until {@code done} holds or {@code deadlineMs} passes; returns {@code done}'s last
     * value. Throws {@link WakeupException} if woken.
     */
    synchronized boolean await(BooleanSupplier done, long deadlineMs) {
        while (true) {
            maybeThrowWakeup();
            if (done.getAsBoolean()) {
                return true;
            }
            long remaining = deadlineMs - clock.milliseconds();
            if (remaining <= 0) {
                return false;
            }
            try {
                wait(Math.min(remaining, 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConsumerException("interrupted while waiting", e);
            }
        }
    }
}

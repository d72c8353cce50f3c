package io.tidelog.client.consumer;

/**
 * This member's standing in its group, shared by the poll thread (which joins, syncs and
 * commits) and the network thread (which heartbeats and watches max.poll.interval.ms). Every
 * method holds this object's monitor.
 *
 * <p>Invariants: {@code generationId >= 0} only together with a non-empty {@code memberId} from
 * a completed join; heartbeats are sent only in {@link MemberState#STABLE} with a known
 * coordinator; {@code partitionsLost} is set when the coordinator no longer counts this member
 * in its generation, so the next rebalance reports the partitions as lost, not revoked.
 */
final class GroupState {

    enum MemberState { UNJOINED, JOINING, STABLE }

    /** The group coordinator: its broker id and the connection used for group requests. */
    record Coordinator(int nodeId, NetworkThread.Target target) {
    }

    private Coordinator coordinator;
    private int generationId = -1;
    private String memberId = "";
    private String protocolName;
    private MemberState state = MemberState.UNJOINED;
    private boolean rejoinNeeded = true;
    private boolean partitionsLost;
    private long lastPollMs;
    private long lastHeartbeatSentMs;
    private long lastHeartbeatReceivedMs;
    private boolean heartbeatInFlight;
    private ConsumerException fatal;
    private String rejoinReason = "joining";

    synchronized Coordinator coordinator() {
        return coordinator;
    }

    /** A (re)discovered coordinator: the session clock restarts, so heartbeats resume at once. */
    synchronized void coordinator(Coordinator value, long nowMs) {
        coordinator = value;
        lastHeartbeatReceivedMs = nowMs;
        heartbeatInFlight = false;
    }

    /** Forget the coordinator (it moved or failed); the poll thread looks it up again. */
    synchronized void coordinatorUnknown(Coordinator failed) {
        if (failed == null || failed.equals(coordinator)) {
            coordinator = null;
            heartbeatInFlight = false;
        }
    }

    synchronized int generationId() {
        return generationId;
    }

    synchronized String memberId() {
        return memberId;
    }

    synchronized void memberId(String value) {
        memberId = value;
    }

    synchronized String protocolName() {
        return protocolName;
    }

    synchronized MemberState state() {
        return state;
    }

    synchronized boolean hasGeneration() {
        return generationId >= 0 && !memberId.isEmpty();
    }

    synchronized void joining() {
        state = MemberState.JOINING;
    }

    synchronized void joined(int generation, String member, String protocol) {
        generationId = generation;
        memberId = member;
        protocolName = protocol;
    }

    synchronized void stable(long nowMs) {
        state = MemberState.STABLE;
        rejoinNeeded = false;
        partitionsLost = false;
        lastHeartbeatSentMs = nowMs;
        lastHeartbeatReceivedMs = nowMs;
        heartbeatInFlight = false;
    }

    /** The coordinator dropped us (or we left): the next join starts as a new member. */
    synchronized void resetGeneration(String reason) {
        generationId = -1;
        memberId = "";
        protocolName = null;
        partitionsLost = state == MemberState.STABLE;
        state = MemberState.UNJOINED;
        requestRejoin(reason);
    }

    synchronized void requestRejoin(String reason) {
        if (!rejoinNeeded) {
            rejoinReason = reason;
        }
        rejoinNeeded = true;
    }

    synchronized boolean rejoinNeeded() {
        return rejoinNeeded;
    }

    synchronized String rejoinReason() {
        return rejoinReason;
    }

    synchronized boolean takePartitionsLost() {
        boolean lost = partitionsLost;
        partitionsLost = false;
        return lost;
    }

    synchronized void polled(long nowMs) {
        lastPollMs = nowMs;
    }

    synchronized long lastPollMs() {
        return lastPollMs;
    }

    synchronized long lastHeartbeatSentMs() {
        return lastHeartbeatSentMs;
    }

    synchronized long lastHeartbeatReceivedMs() {
        return lastHeartbeatReceivedMs;
    }

    synchronized boolean heartbeatInFlight() {
        return heartbeatInFlight;
    }

    synchronized void heartbeatSent(long nowMs) {
        heartbeatInFlight = true;
        lastHeartbeatSentMs = nowMs;
    }

    synchronized void heartbeatAnswered(long nowMs, boolean ok) {
        heartbeatInFlight = false;
        if (ok) {
            lastHeartbeatReceivedMs = nowMs;
        }
    }

    synchronized void fail(ConsumerException error) {
        fatal = error;
    }

    synchronized void throwIfFatal() {
        if (fatal != null) {
            throw fatal;
        }
    }
}

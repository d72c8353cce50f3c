package io.tidelog.client.consumer;

import io.tidelog.client.common.NetworkClient;
import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.message.HeartbeatRequest;
import io.tidelog.protocol.message.HeartbeatResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group liveness, a duty of the network thread, so it continues while the application works
 * between polls: a Heartbeat every {@code heartbeat.interval.ms} while the member is stable;
 * the coordinator's answer tells of a rebalance (rejoin at the next poll) or that this member was
 * dropped (lost partitions). When the application has not polled for
 * {@code max.poll.interval.ms}, the member leaves the group (LeaveGroup for dynamic members), so
 * its partitions go to members that make progress; its next poll rejoins.
 */
final class Heartbeat implements NetworkThread.Duty {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private static final NetworkClient.RequestCallback IGNORE = new NetworkClient.RequestCallback() {
        @Override
        public void onComplete(ApiMessage response) {
            // best effort: the member is gone either way
        }

        @Override
        public void onDisconnect(IOException cause) {
            // best effort
        }
    };

    private final ConsumerConfig config;
    private final GroupState group;
    private final NetworkThread io;
    private final Runnable signal;

    Heartbeat(ConsumerConfig config, GroupState group, NetworkThread io, Runnable signal) {
        this.config = config;
        this.group = group;
        this.io = io;
        this.signal = signal;
    }

    @Override
    public void run(long nowMs) {
        GroupState.Coordinator coordinator = group.coordinator();
        // Heartbeats continue after a rebalance was announced, until this member actually rejoins:
        // they keep its session alive while the application finishes the records it holds.
        if (group.state() != GroupState.MemberState.STABLE || coordinator == null) {
            return;
        }
        if (nowMs - group.lastPollMs() > config.maxPollIntervalMs()) {
            leaveForSlowPolling(coordinator, nowMs);
            return;
        }
        if (nowMs - group.lastHeartbeatReceivedMs() > config.sessionTimeoutMs()) {
            LOG.info("no heartbeat answer from the group coordinator for session.timeout.ms={}; looking it up again",
                    config.sessionTimeoutMs());
            group.coordinatorUnknown(coordinator);
            signal.run();
            return;
        }
        if (group.heartbeatInFlight() || nowMs - group.lastHeartbeatSentMs() < config.heartbeatIntervalMs()) {
            return;
        }
        int node = io.readyNode(coordinator.target(), nowMs);
        if (node == NetworkClient.NO_NODE) {
            return;
        }
        if (config.groupInstanceId() != null
                && io.network().readyConnection(node).versions().version(ApiKey.HEARTBEAT) < 3) {
            group.fail(new ConsumerException("the group coordinator does not support static membership (Heartbeat "
                    + "v3+); remove group.instance.id or upgrade the broker"));
            signal.run();
            return;
        }
        HeartbeatRequest request = new HeartbeatRequest().setGroupId(config.groupId())
                .setGenerationId(group.generationId()).setMemberId(group.memberId())
                .setGroupInstanceId(config.groupInstanceId());
        group.heartbeatSent(nowMs);
        io.network().send(node, ApiKey.HEARTBEAT, request, true, new NetworkClient.RequestCallback() {
            @Override
            public void onComplete(ApiMessage response) {
                onHeartbeat(coordinator, Errors.forCode(((HeartbeatResponse) response).errorCode()));
            }

            @Override
            public void onDisconnect(IOException cause) {
                group.heartbeatAnswered(io.clock().milliseconds(), false);
                group.coordinatorUnknown(coordinator);
                signal.run();
            }
        }, nowMs);
    }

    private void onHeartbeat(GroupState.Coordinator coordinator, Errors error) {
        long nowMs = io.clock().milliseconds();
        group.heartbeatAnswered(nowMs, error == Errors.NONE);
        switch (error) {
            case NONE -> {
                return;
            }
            case REBALANCE_IN_PROGRESS -> {
                if (!group.rejoinNeeded()) {
                    LOG.info("group {} is rebalancing; rejoining at the next poll", config.groupId());
                }
                group.requestRejoin("the group is rebalancing");
            }
            case ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID -> {
                LOG.info("the coordinator no longer counts this member in group {} ({}); rejoining",
                        config.groupId(), error);
                group.resetGeneration("the coordinator dropped this member (" + error + ")");
            }
            case FENCED_INSTANCE_ID -> group.fail(new FencedInstanceIdException("another consumer joined group "
                    + config.groupId() + " with group.instance.id=" + config.groupInstanceId() + " and replaced this "
                    + "one; give each running consumer its own group.instance.id"));
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS ->
                    group.coordinatorUnknown(coordinator);
            default -> LOG.warn("heartbeat to group {} failed: {}", config.groupId(), error);
        }
        signal.run();
    }

    private void leaveForSlowPolling(GroupState.Coordinator coordinator, long nowMs) {
        LOG.warn("poll() was not called for more than max.poll.interval.ms={}: leaving group {} so its partitions "
                + "move to members that make progress. Process records faster, lower max.poll.records or raise "
                + "max.poll.interval.ms", config.maxPollIntervalMs(), config.groupId());
        if (config.groupInstanceId() == null) {
            int node = io.readyNode(coordinator.target(), nowMs);
            if (node != NetworkClient.NO_NODE) {
                short version = io.network().readyConnection(node).versions().version(ApiKey.LEAVE_GROUP);
                if (version >= 0) {
                    io.network().send(node, ApiKey.LEAVE_GROUP, ConsumerCoordinator.leaveGroupRequest(version, config,
                            group.memberId(), "consumer poll timeout has expired"), true, IGNORE, nowMs);
                }
            }
        }
        group.resetGeneration("max.poll.interval.ms was exceeded");
        signal.run();
    }
}

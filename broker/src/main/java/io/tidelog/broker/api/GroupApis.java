package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.protocol.ApiKey;
import java.util.Map;

/** The consumer-group APIs, all served by one {@link GroupCoordinator}. */
public final class GroupApis {

    private GroupApis() {
    }

    /** Puts the handlers of FindCoordinator, JoinGroup, ..., ListGroups, DeleteGroups and OffsetDelete into {@code handlers}. */
    public static void register(Map<ApiKey, ApiHandler> handlers, GroupCoordinator coordinator, TopicRegistry registry) {
        handlers.put(ApiKey.FIND_COORDINATOR, new FindCoordinatorHandler(registry));
        handlers.put(ApiKey.JOIN_GROUP, new JoinGroupHandler(coordinator));
        handlers.put(ApiKey.SYNC_GROUP, new SyncGroupHandler(coordinator));
        handlers.put(ApiKey.HEARTBEAT, new HeartbeatHandler(coordinator));
        handlers.put(ApiKey.LEAVE_GROUP, new LeaveGroupHandler(coordinator));
        handlers.put(ApiKey.OFFSET_COMMIT, new OffsetCommitHandler(coordinator));
        handlers.put(ApiKey.OFFSET_FETCH, new OffsetFetchHandler(coordinator));
        handlers.put(ApiKey.DESCRIBE_GROUPS, new DescribeGroupsHandler(coordinator));
        handlers.put(ApiKey.LIST_GROUPS, new ListGroupsHandler(coordinator));
        handlers.put(ApiKey.DELETE_GROUPS, new DeleteGroupsHandler(coordinator));
        handlers.put(ApiKey.OFFSET_DELETE, new OffsetDeleteHandler(coordinator));
    }
}

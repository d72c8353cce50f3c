package io.tidelog.broker.api;

import io.tidelog.broker.group.GroupCoordinator;
import io.tidelog.broker.group.GroupOverview;
import io.tidelog.broker.group.GroupState;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.ListGroupsRequest;
import io.tidelog.protocol.message.ListGroupsResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * ListGroups v0–4: every group this coordinator holds; v4 filters by state names
 * (case-insensitive; a name that is no state matches nothing).
 */
final class ListGroupsHandler implements ApiHandler {

    private final GroupCoordinator coordinator;

    ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        short version = context.apiVersion();
        ListGroupsRequest request = ListGroupsRequest.read(body, version);
        Set<GroupState> states = EnumSet.noneOf(GroupState.class);
        boolean filtered = version >= 4 && !request.statesFilter().isEmpty();
        if (filtered) {
            for (String name : request.statesFilter()) {
                GroupState state = GroupState.parse(name);
                if (state != null) {
                    states.add(state);
                }
            }
            if (states.isEmpty()) {
                context.respond(new ListGroupsResponse().setErrorCode(Errors.NONE.code()).setGroups(new ArrayList<>()));
                return;
            }
        }
        coordinator.listGroups(states, overviews -> {
            List<ListGroupsResponse.ListedGroup> groups = new ArrayList<>(overviews.size());
            for (GroupOverview o : overviews) {
                ListGroupsResponse.ListedGroup group = new ListGroupsResponse.ListedGroup().setGroupId(o.groupId())
                        .setProtocolType(o.protocolType());
                if (version >= 4) {
                    group.setGroupState(o.state().displayName());
                }
                groups.add(group);
            }
            context.respond(new ListGroupsResponse().setErrorCode(Errors.NONE.code()).setGroups(groups));
        });
    }
}

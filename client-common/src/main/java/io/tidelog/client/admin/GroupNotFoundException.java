package io.tidelog.client.admin;

import io.tidelog.protocol.Errors;

/** The consumer group has neither members nor committed offsets (Dead, GROUP_ID_NOT_FOUND). */
public final class GroupNotFoundException extends AdminException {

    private final String groupId;

    public GroupNotFoundException(String groupId) {
        super(Errors.GROUP_ID_NOT_FOUND, "group '" + groupId + "' does not exist");
        this.groupId = groupId;
    }

    public String groupId() {
        return groupId;
    }
}

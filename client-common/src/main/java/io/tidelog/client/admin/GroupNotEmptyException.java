package io.tidelog.client.admin;

import io.tidelog.protocol.Errors;

/**
 * The operation needs a group without members (offset reset, deletion) but the group has some
 * (NON_EMPTY_GROUP): stop its consumers first.
 */
public final class GroupNotEmptyException extends AdminException {

    private final String groupId;

    public GroupNotEmptyException(String groupId, String detail) {
        super(Errors.NON_EMPTY_GROUP, "group '" + groupId + "' " + detail
                + "; stop its consumers and try again");
        this.groupId = groupId;
    }

    public String groupId() {
        return groupId;
    }
}

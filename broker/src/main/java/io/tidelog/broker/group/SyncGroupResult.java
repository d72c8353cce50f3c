package io.tidelog.broker.group;

import io.tidelog.protocol.Errors;

/** The answer to a SyncGroup: this member's assignment from the leader (empty on error). */
public record SyncGroupResult(Errors error, String protocolType, String protocolName, byte[] assignment) {

    private static final byte[] EMPTY = new byte[0];

    public static SyncGroupResult error(Errors error) {
        return new SyncGroupResult(error, null, null, EMPTY);
    }
}

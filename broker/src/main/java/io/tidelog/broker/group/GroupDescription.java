package io.tidelog.broker.group;

import io.tidelog.protocol.Errors;
import java.util.List;

/**
 * DescribeGroups' view of a group. Member metadata and assignments are filled in only while the
 * group is Stable (as Kafka does); {@code protocolName} is "" otherwise. A group that does not
 * exist is described as Dead with no error.
 */
public record GroupDescription(String groupId, Errors error, String state, String protocolType, String protocolName,
                               List<MemberDescription> members) {

    public record MemberDescription(String memberId, String groupInstanceId, String clientId, String clientHost,
                                    byte[] metadata, byte[] assignment) {
    }
}

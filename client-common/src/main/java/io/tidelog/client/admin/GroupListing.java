package io.tidelog.client.admin;

/** A group as ListGroups shows it; {@code state} is empty when the broker's ListGroups version has none. */
public record GroupListing(String groupId, String protocolType, String state) {
}

/**
 * The group coordinator: Kafka's classic consumer-group protocol (JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup), committed offsets (OffsetCommit, OffsetFetch, OffsetDelete) and DeleteGroups,
 * stored in the internal topic {@code __consumer_offsets}.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link io.tidelog.broker.group.GroupCoordinator}: the public API the request handlers call
 *       (every method answers through a callback), plus {@code load()}, {@code tick()} and
 *       {@code shutdown()} for the broker's lifecycle.</li>
 *   <li>{@link io.tidelog.broker.group.OffsetsTopic#ensureCreated}: creates {@code __consumer_offsets}
 *       ({@code offsets.topic.num.partitions}, default 10) on first start.</li>
 *   <li>{@link io.tidelog.broker.group.ReplicaOffsetsLog}: the coordinator's log, i.e. the offsets
 *       topic's partitions through {@code ReplicaManager} (acks=all appends, replay on load).</li>
 *   <li>{@link io.tidelog.broker.group.GroupConfig}: the {@code group.*} and {@code offset(s).*} keys.</li>
 * </ul>
 *
 * <h2>Threading (Singular Update Queue)</h2>
 * A group lives in offsets partition {@code abs(groupId.hashCode()) % partitions}. All groups of a
 * partition are one {@code GroupShard} (membership) and one {@code GroupOffsets} (offsets), changed
 * only on that partition's owner event loop — the same thread that appends to the partition's log.
 * Public calls hop there; appends complete back there; {@code tick()} (every 100 ms from the broker)
 * posts each shard's timer check there. Group state therefore needs no locks, and no timer thread
 * touches it.
 *
 * <h2>The protocol as built</h2>
 * <ul>
 *   <li>States: Empty → PreparingRebalance → CompletingRebalance → Stable, and Dead once an empty
 *       group's last offset expired. Any membership change in Stable or CompletingRebalance starts a
 *       rebalance; pending SyncGroups then get REBALANCE_IN_PROGRESS, heartbeats too.</li>
 *   <li>Join phase: ends when every known member rejoined (and no id handed out by
 *       MEMBER_ID_REQUIRED is outstanding) or at the largest rebalance timeout; members that did not
 *       rejoin are dropped. An empty group's first rebalance waits {@code group.initial.rebalance.delay.ms},
 *       extended by that much while new members keep arriving, never past the rebalance timeout.</li>
 *   <li>Completion bumps the generation, picks the protocol (each member votes for its first
 *       protocol all members support; most votes wins, ties by name), keeps the leader if still a
 *       member, and answers every join; only the leader gets the members' metadata.</li>
 *   <li>Sync phase: the leader's assignment is appended to the log with the group (generation,
 *       protocol, leader, members, assignments), then every member's SyncGroup is answered with its
 *       share and the group is Stable. Members that do not sync within the rebalance timeout are
 *       dropped and the group rebalances.</li>
 *   <li>Errors: unknown member UNKNOWN_MEMBER_ID; wrong generation ILLEGAL_GENERATION; a static
 *       instance id held by another member id FENCED_INSTANCE_ID; no protocols, another protocol
 *       type or no common protocol INCONSISTENT_GROUP_PROTOCOL; session timeout outside
 *       [{@code group.min.session.timeout.ms}, {@code group.max.session.timeout.ms}]
 *       INVALID_SESSION_TIMEOUT; more than {@code group.max.size} members GROUP_MAX_SIZE_REACHED.</li>
 *   <li>Liveness: any valid request of a member resets its session deadline; a member silent past
 *       its session timeout is removed and the group rebalances; LeaveGroup rebalances at once. A
 *       member waiting in JoinGroup is kept until the join phase ends.</li>
 *   <li>Static members ({@code group.instance.id}): a restarted instance rejoining without its member
 *       id takes over its old id's place; with unchanged metadata in a Stable group it keeps the
 *       generation and its assignment (a v9 leader is told to skip assignment), otherwise the group
 *       rebalances. The old id is fenced.</li>
 *   <li>Offsets: members commit with their id and generation (COMPLETING_REBALANCE → REBALANCE_IN_PROGRESS);
 *       standalone consumers (generation -1, no member id) only while the group has no members. Unknown
 *       topic partitions get UNKNOWN_TOPIC_OR_PARTITION and metadata over {@code offset.metadata.max.bytes}
 *       OFFSET_METADATA_TOO_LARGE, each for its own partition. The commit is answered only after its
 *       batch is in the log. Fetching a partition without a commit answers offset -1 and no error.</li>
 *   <li>Expiry: offsets of an Empty group expire {@code offsets.retention.minutes} after it became
 *       empty (offset-only groups: after each commit); tombstones are appended and a group left
 *       without offsets is deleted.</li>
 *   <li>Administration ({@code GroupDeletions}): DeleteGroups removes an Empty group (else
 *       NON_EMPTY_GROUP; unknown GROUP_ID_NOT_FOUND), OffsetDelete single offsets (refused with
 *       GROUP_SUBSCRIBED_TO_TOPIC for topics an active consumer group subscribes to). Both answer
 *       only once their tombstones are in the log; a commit still in flight is tombstoned too. A
 *       replayed group tombstone leaves at most an offsets-only group.</li>
 *   <li>Restart: the offsets partitions are replayed before the broker serves; a group with members
 *       comes back Stable in its stored generation and each member has a fresh session to reappear.</li>
 * </ul>
 *
 * <h2>Records</h2>
 * {@link io.tidelog.broker.group.OffsetsRecordFormat} documents the key and value layouts. Keys are
 * unique per (group, topic, partition) for offsets and per group for group metadata, and deletion is
 * a null value, so compacting the topic by key (the log cleaner, not built yet) keeps exactly the
 * live state.
 */
package io.tidelog.broker.group;

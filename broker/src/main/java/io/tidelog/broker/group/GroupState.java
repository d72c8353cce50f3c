package io.tidelog.broker.group;

import java.util.Locale;

/**
 * The classic group protocol's states, with the names Kafka shows in DescribeGroups and ListGroups.
 *
 * <pre>
 *   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader's sync──▶ Stable
 *     ▲                 ▲      │ (no member left)                  │ member joins/leaves/dies           │
 *     └─────────────────┼──────┘                                   └──────────────▶ PreparingRebalance ◀┘
 *   Empty ──all offsets expired──▶ Dead (removed)
 * </pre>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String displayName;

    GroupState(String displayName) {
        this.displayName = displayName;
    }

    /** The protocol's name of the state, e.g. {@code PreparingRebalance}. */
    public String displayName() {
        return displayName;
    }

    /** The state a ListGroups states filter names (case-insensitive), or null if none. */
    public static GroupState parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (GroupState state : values()) {
            if (state.displayName.toLowerCase(Locale.ROOT).equals(wanted)) {
                return state;
            }
        }
        return null;
    }
}

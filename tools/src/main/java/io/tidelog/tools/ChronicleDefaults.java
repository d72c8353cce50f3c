package io.tidelog.tools;

/**
 * System properties Chronicle Bytes reads when its classes load: no analytics, no banner, no
 * performance-info probe. Set from {@code main} before anything touches Chronicle, so the jar needs
 * no {@code -D} flags; a value given on the command line wins.
 */
final class ChronicleDefaults {

    private static final String[][] PROPERTIES = {
            {"chronicle.analytics.disable", "true"},
            {"chronicle.announcer.disable", "true"},
            {"disable.perf.info", "true"},
    };

    private ChronicleDefaults() {
    }

    static void apply() {
        for (String[] property : PROPERTIES) {
            if (System.getProperty(property[0]) == null) {
                System.setProperty(property[0], property[1]);
            }
        }
    }
}

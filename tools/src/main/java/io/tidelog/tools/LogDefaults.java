package io.tidelog.tools;

/**
 * Where the process logs, decided before the first logger exists: the broker logs INFO to stdout
 * (operators and scripts watch it); every other command keeps stdout for its results (a consumed
 * record, a table) and logs only warnings, to stderr. A {@code -D} on the command line wins.
 */
final class LogDefaults {

    static final String TARGET = "tidelog.log.target";
    static final String LEVEL = "tidelog.log.level";

    private LogDefaults() {
    }

    static void apply(String[] args) {
        if (isBroker(args)) {
            return;
        }
        setIfAbsent(TARGET, "System.err");
        setIfAbsent(LEVEL, "WARN");
    }

    private static boolean isBroker(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg.equals("broker");
            }
        }
        return false;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

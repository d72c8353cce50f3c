package io.tidelog.broker.metadata;

/**
 * Kafka's topic name rules: 1 to 249 characters from {@code [a-zA-Z0-9._-]}, and not "." or "..".
 * Names that differ only by '.' versus '_' collide (they map to the same metric names).
 */
public final class TopicNames {

    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /** Why {@code name} is not a legal topic name, or {@code null} when it is. */
    public static String invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return "Topic name is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "Topic name cannot be \".\" or \"..\"";
        }
        if (name.length() > MAX_LENGTH) {
            return "Topic name is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return "Topic name \"" + name + "\" contains an illegal character; legal are ASCII letters, digits, '.', '_' and '-'";
            }
        }
        return null;
    }

    public static boolean isValid(String name) {
        return invalidReason(name) == null;
    }

    /** The form two names share when they collide. */
    public static String collisionKey(String name) {
        return name.replace('.', '_');
    }

    /** Internal topics start with "__". */
    public static boolean isInternal(String name) {
        return name.startsWith("__");
    }
}

package io.tidelog.broker.config;

import java.util.Collection;
import java.util.Map;

/**
 * Builds the "unknown key" error, with the closest known key when one is obviously meant: a small
 * edit distance (a typo), or a key Kafka renamed.
 */
final class KeySuggestions {

    /** Keys of older Kafka releases that Tidelog spells the newer way. */
    private static final Map<String, String> RENAMED = Map.of("broker.id", "node.id");

    private KeySuggestions() {
    }

    static ConfigException unknownKey(String key, Collection<String> known, String what) {
        String suggestion = closest(key, known);
        String message = "Unknown " + what + " '" + key + "'"
                + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)");
        return new ConfigException(key, message);
    }

    /** The known key nearest to {@code key}, or null when none is near enough to be a typo. */
    static String closest(String key, Collection<String> known) {
        String renamed = RENAMED.get(key);
        if (renamed != null && known.contains(renamed)) {
            return renamed;
        }
        int allowed = Math.max(1, Math.min(3, key.length() / 5));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(key, candidate);
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance with two rolling rows. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

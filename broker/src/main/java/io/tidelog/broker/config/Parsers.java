package io.tidelog.broker.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The value parsers configuration keys are built from. Each throws with the rule it enforces. */
public final class Parsers {

    private Parsers() {
    }

    public static ValueParser<Integer> intAtLeast(int min) {
        return intBetween(min, Integer.MAX_VALUE);
    }

    public static ValueParser<Integer> intBetween(int min, int max) {
        return text -> {
            long value = parseLong(text, "an integer");
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("must be an integer between " + min + " and " + max);
            }
            checkRange(value, min, max);
            return (int) value;
        };
    }

    public static ValueParser<Long> longAtLeast(long min) {
        return text -> {
            long value = parseLong(text, "a whole number");
            checkRange(value, min, Long.MAX_VALUE);
            return value;
        };
    }

    /** A decimal number between {@code min} and {@code max} inclusive (e.g. a ratio). */
    public static ValueParser<Double> doubleBetween(double min, double max) {
        return text -> {
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number between " + min + " and " + max);
            }
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException("must be a number between " + min + " and " + max);
            }
            return value;
        };
    }

    /** Booleans are spelled {@code true} or {@code false} (any case); anything else is an error, not false. */
    public static ValueParser<Boolean> bool() {
        return text -> {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.equals("true")) {
                return true;
            }
            if (lower.equals("false")) {
                return false;
            }
            throw new IllegalArgumentException("must be true or false");
        };
    }

    /** One of {@code allowed}, matched exactly (Kafka's enumerated values are case-sensitive). */
    public static ValueParser<String> oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return text -> {
            if (!values.contains(text)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", values));
            }
            return text;
        };
    }

    /** A comma-separated list of non-empty items, at least one. */
    public static ValueParser<List<String>> nonEmptyList() {
        return text -> {
            List<String> items = new ArrayList<>();
            for (String item : text.split(",", -1)) {
                String trimmed = item.trim();
                if (trimmed.isEmpty()) {
                    throw new IllegalArgumentException("must be a comma-separated list without empty items");
                }
                items.add(trimmed);
            }
            return List.copyOf(items);
        };
    }

    /** Listener endpoints such as {@code PLAINTEXT://127.0.0.1:9092}, comma-separated, names unique. */
    public static ValueParser<List<Endpoint>> endpoints() {
        ValueParser<List<String>> list = nonEmptyList();
        return text -> {
            List<Endpoint> endpoints = new ArrayList<>();
            for (String item : list.parse(text)) {
                Endpoint endpoint = Endpoint.parse(item);
                for (Endpoint other : endpoints) {
                    if (other.listenerName().equals(endpoint.listenerName())) {
                        throw new IllegalArgumentException("listener name " + endpoint.listenerName() + " appears twice");
                    }
                }
                endpoints.add(endpoint);
            }
            return List.copyOf(endpoints);
        };
    }

    /**
     * {@code cleanup.policy}: {@code delete}, {@code compact}, or both comma-separated in either
     * order; normalised so both read {@code compact,delete}.
     */
    public static ValueParser<String> cleanupPolicy() {
        return text -> {
            String[] items = text.split(",", -1);
            for (int i = 0; i < items.length; i++) {
                items[i] = items[i].trim();
                if (!items[i].equals("delete") && !items[i].equals("compact")) {
                    throw new IllegalArgumentException("must be delete, compact or compact,delete");
                }
            }
            Arrays.sort(items);
            String normalised = String.join(",", items);
            if (!normalised.equals("delete") && !normalised.equals("compact") && !normalised.equals("compact,delete")) {
                throw new IllegalArgumentException("must be delete, compact or compact,delete");
            }
            return normalised;
        };
    }

    private static long parseLong(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be " + what);
        }
    }

    private static void checkRange(long value, long min, long max) {
        if (value < min) {
            throw new IllegalArgumentException("must be at least " + min);
        }
        if (value > max) {
            throw new IllegalArgumentException("must be at most " + max);
        }
    }
}

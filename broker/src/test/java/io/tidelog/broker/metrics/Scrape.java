package io.tidelog.broker.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** A parsed Prometheus text exposition: metric family types and sample lines. */
final class Scrape {

    private final String text;
    private final Map<String, String> types = new LinkedHashMap<>();
    private final List<String> samples = new ArrayList<>();

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(line);
            }
        }
    }

    String text() {
        return text;
    }

    /** Metric family name (as in {@code # TYPE}) to its type: counter, gauge, histogram, ... */
    Map<String, String> types() {
        return types;
    }

    /**
     * The value of the one sample named {@code name} carrying every {@code label="value"} pair
     * given (label, value, label, value, ...); empty if there is none.
     */
    OptionalDouble value(String name, String... labels) {
        List<String> matches = new ArrayList<>();
        for (String sample : samples) {
            if (matches(sample, name, labels)) {
                matches.add(sample);
            }
        }
        if (matches.size() > 1) {
            throw new AssertionError("more than one sample matches " + name + " " + List.of(labels) + ": " + matches);
        }
        if (matches.isEmpty()) {
            return OptionalDouble.empty();
        }
        String line = matches.get(0);
        return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
    }

    /** Whether any sample (of any metric) carries {@code label="value"}. */
    boolean anySampleWithLabel(String label, String value) {
        String pair = label + "=\"" + value + "\"";
        return samples.stream().anyMatch(s -> s.contains("{" + pair + ",") || s.contains("," + pair + ",")
                || s.contains("," + pair + "}") || s.contains("{" + pair + "}"));
    }

    private static boolean matches(String sample, String name, String[] labels) {
        int brace = sample.indexOf('{');
        int space = sample.indexOf(' ');
        String sampleName = brace >= 0 && brace < space ? sample.substring(0, brace) : sample.substring(0, space);
        if (!sampleName.equals(name)) {
            return false;
        }
        String labelText = brace >= 0 && brace < space ? sample.substring(brace, sample.lastIndexOf('}') + 1) : "{}";
        for (int i = 0; i + 1 < labels.length; i += 2) {
            String pair = labels[i] + "=\"" + labels[i + 1] + "\"";
            if (!labelText.contains("{" + pair + ",") && !labelText.contains("," + pair + ",")
                    && !labelText.contains("," + pair + "}") && !labelText.contains("{" + pair + "}")) {
                return false;
            }
        }
        return true;
    }
}

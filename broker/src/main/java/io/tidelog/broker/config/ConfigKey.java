package io.tidelog.broker.config;

import java.util.Objects;

/**
 * One configuration key: its name, how its value parses, its default and what it means.
 *
 * <p>A key either has a default text (parsed like any other value, so a default can never be
 * invalid) or none, in which case its value is derived from other keys or the machine and
 * {@link #defaultDescription()} says how, for the operations guide.
 */
public final class ConfigKey<T> {

    private final String name;
    private final ValueParser<T> parser;
    private final String defaultText;
    private final String defaultDescription;
    private final String doc;

    private ConfigKey(String name, ValueParser<T> parser, String defaultText, String defaultDescription, String doc) {
        this.name = Objects.requireNonNull(name, "name");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.defaultText = defaultText;
        this.defaultDescription = Objects.requireNonNull(defaultDescription, "defaultDescription");
        this.doc = Objects.requireNonNull(doc, "doc");
    }

    /** A key whose default is {@code defaultText}, parsed by {@code parser}. */
    public static <T> ConfigKey<T> of(String name, ValueParser<T> parser, String defaultText, String doc) {
        Objects.requireNonNull(defaultText, "defaultText");
        return new ConfigKey<>(name, parser, defaultText, defaultText, doc);
    }

    /** A key with no default text; when unset its value is derived as {@code derivedFrom} says. */
    public static <T> ConfigKey<T> derived(String name, ValueParser<T> parser, String derivedFrom, String doc) {
        return new ConfigKey<>(name, parser, null, derivedFrom, doc);
    }

    public String name() {
        return name;
    }

    /** The default as text, or null when the value is derived. */
    public String defaultText() {
        return defaultText;
    }

    /** The default as the operations guide shows it: the text, or how the value is derived. */
    public String defaultDescription() {
        return defaultDescription;
    }

    public String doc() {
        return doc;
    }

    /**
     * Parses {@code text} (or the default when {@code text} is null). Returns null only when both
     * are absent.
     *
     * @throws ConfigException naming this key and the value when it does not parse
     */
    public T parse(String text) {
        String raw = text != null ? text : defaultText;
        if (raw == null) {
            return null;
        }
        try {
            return parser.parse(raw.trim());
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalidValue(name, raw, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

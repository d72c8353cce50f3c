package io.tidelog.broker.config;

/**
 * Turns the text of one configuration value into its typed form. A parser knows nothing about the
 * key it serves: it rejects a value by throwing {@link IllegalArgumentException} whose message is
 * the rule that was broken ("must be an integer", "must be at least 1"); {@link ConfigKey} adds the
 * key and the value to make the operator-facing {@link ConfigException}.
 */
@FunctionalInterface
public interface ValueParser<T> {

    /** @param text the value with surrounding whitespace removed; never null */
    T parse(String text);
}

package io.tidelog.broker.config;

/**
 * A configuration key is unknown or its value is malformed or out of range. The message is one line
 * that names the key (and the offending value), fit to print to an operator as is.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** A value that does not parse or is out of range: names the key, the value and the rule. */
    public static ConfigException invalidValue(String key, String value, String reason) {
        return new ConfigException(key,
                "Invalid value '" + value + "' for configuration key '" + key + "': " + reason);
    }

    /** The key the problem is about; never null. */
    public String key() {
        return key;
    }
}

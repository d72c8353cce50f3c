package io.tidelog.client.consumer;

/** A consumer setting that is unknown, malformed or inconsistent; names the key and the value. */
public class ConfigException extends ConsumerException {

    private final String key;

    public ConfigException(String key, Object value, String problem) {
        super("consumer config " + key + "=" + value + ": " + problem);
        this.key = key;
    }

    /** The setting at fault. */
    public String key() {
        return key;
    }
}

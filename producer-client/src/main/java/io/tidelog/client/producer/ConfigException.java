package io.tidelog.client.producer;

/** A producer setting that is unknown, malformed or inconsistent; names the key and the value. */
public class ConfigException extends ProducerException {

    private final String key;

    public ConfigException(String key, Object value, String problem) {
        super("producer config " + key + "=" + value + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

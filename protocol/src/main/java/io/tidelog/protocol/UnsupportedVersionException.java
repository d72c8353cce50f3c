package io.tidelog.protocol;

/**
 * A message cannot be encoded or decoded at the version asked for: the version is outside the
 * range Tidelog implements, or a field set to a non-default value does not exist in that version
 * (Kafka's encoder refuses the same).
 */
public final class UnsupportedVersionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedVersionException(String message) {
        super(message);
    }
}

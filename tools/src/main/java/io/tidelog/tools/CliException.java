package io.tidelog.tools;

/**
 * A command failed for a reason the operator can act on. {@link Tidelog} prints its message as
 * one line, {@code error: <message>}, and exits 1; no stack trace.
 */
final class CliException extends RuntimeException {

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.tidelog.tools;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import io.tidelog.client.admin.AdminException;

/** The one line an operator sees for a failed command. */
final class FailureMessages {

    private FailureMessages() {
    }

    static String describe(Throwable e) {
        if (e instanceof CliException || e instanceof AdminException) {
            return oneLine(e.getMessage());
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + " does not exist";
        }
        if (e instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (e instanceof IOException) {
            return oneLine("I/O error: " + e.getMessage());
        }
        if (e.getClass().getPackageName().startsWith("io.tidelog.client") && e.getMessage() != null) {
            return oneLine(e.getMessage());
        }
        return oneLine(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    private static String oneLine(String message) {
        return message == null ? "unknown failure" : message.replace('\n', ' ').replace('\r', ' ');
    }
}

package io.tidelog.perf.load;

/** A workload file or command line names an unknown key or a value that cannot be used. */
public final class WorkloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    WorkloadException(String key, String value, String problem) {
        super(key + "=" + value + ": " + problem);
    }

    WorkloadException(String message) {
        super(message);
    }
}

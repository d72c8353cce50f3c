package io.tidelog.perf.clientbench;

import java.util.HashMap;
import java.util.Map;

/**
 * What one {@link ClientWorker} run measured: records moved, wall time from first send (or poll)
 * to the last acknowledgement (or record), and the client process's CPU time over its whole life
 * as a client (creation to close).
 */
record WorkerResult(long records, long elapsedNanos, long cpuNanos) {

    static WorkerResult parse(String line) {
        Map<String, Long> fields = new HashMap<>();
        for (String field : line.substring(ClientWorker.RESULT_PREFIX.length()).trim().split(" ")) {
            String[] pair = field.split("=", 2);
            fields.put(pair[0], Long.parseLong(pair[1]));
        }
        return new WorkerResult(fields.get("records"), fields.get("elapsed_ns"), fields.get("cpu_ns"));
    }

    double recordsPerSecond() {
        return records * 1e9 / elapsedNanos;
    }

    double cpuSecondsPerMillionRecords() {
        return cpuNanos / 1e9 / (records / 1e6);
    }

    /** Records per client CPU second: the efficiency the issue compares (higher is leaner). */
    double recordsPerCpuSecond() {
        return records / (cpuNanos / 1e9);
    }

    @Override
    public String toString() {
        return String.format("%,d records, %,.0f records/s, %.2f CPU s / M records", records, recordsPerSecond(),
                cpuSecondsPerMillionRecords());
    }
}

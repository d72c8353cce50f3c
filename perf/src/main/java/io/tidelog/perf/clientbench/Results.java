package io.tidelog.perf.clientbench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Runs per (workload, client), summarised as medians in a Markdown table with the ours/Kafka ratio. */
final class Results {

    private final Map<String, Map<String, List<WorkerResult>>> byWorkload = new LinkedHashMap<>();

    void add(String workload, String client, WorkerResult result) {
        byWorkload.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                .computeIfAbsent(client, c -> new ArrayList<>()).add(result);
    }

    String markdown(long records, int runs) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Runs: %d; %,d records of %d bytes per run; medians.%n%n", runs, records,
                ClientWorker.RECORD_BYTES));
        out.append("| workload | client | records/s | client CPU s / M records | records per client CPU s | "
                + "ours ÷ Kafka (records per CPU s) |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: |\n");
        byWorkload.forEach((workload, clients) -> {
            double ours = median(clients.get("ours"), WorkerResult::recordsPerCpuSecond);
            double kafka = median(clients.get("kafka"), WorkerResult::recordsPerCpuSecond);
            clients.forEach((client, results) -> out.append(String.format("| %s | %s | %,.0f | %.2f | %,.0f | %s |%n",
                    workload, client.equals("ours") ? "Tidelog" : "Kafka 4.3.1",
                    median(results, WorkerResult::recordsPerSecond),
                    median(results, WorkerResult::cpuSecondsPerMillionRecords),
                    median(results, WorkerResult::recordsPerCpuSecond),
                    client.equals("ours") ? String.format("**%.2f×**", ours / kafka) : "")));
        });
        return out.toString();
    }

    private static double median(List<WorkerResult> results, ToDoubleFunction<WorkerResult> metric) {
        if (results == null || results.isEmpty()) {
            return Double.NaN;
        }
        double[] values = results.stream().mapToDouble(metric).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}

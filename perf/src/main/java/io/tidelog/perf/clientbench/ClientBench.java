package io.tidelog.perf.clientbench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Our producer and consumer against Kafka's own ({@code KafkaProducer}, {@code KafkaConsumer}
 * 4.3.1) on the same broker with the same settings: throughput and client CPU seconds per million
 * records. Each measured run is a {@link ClientWorker} in a JVM of its own (same heap flags for
 * both clients), so its CPU time is the client's alone; the broker is a Tidelog process started
 * from {@code tools/target/tidelog.jar} (or any broker given with {@code --bootstrap}).
 *
 * <pre>
 * java -cp perf/target/tidelog-benchmarks.jar io.tidelog.perf.clientbench.ClientBench \
 *     [--records 2000000] [--runs 3] [--only produce|consume|all] [--jar tools/target/tidelog.jar]
 *     [--bootstrap host:port] [--out file.md]
 * </pre>
 *
 * <p>Producer runs: {ours, Kafka} × {acks=1, acks=all}, each into a fresh single-partition topic
 * (deleted afterwards to bound disk use). Consumer runs: both read the same {@code records} records
 * from the beginning of one topic (assign, no group). The clients alternate which goes first from
 * run to run. Every run is bounded by its record count and a per-process timeout; only the given
 * broker on 127.0.0.1 is targeted. Prints a Markdown table of medians.
 */
public final class ClientBench {

    private static final long WORKER_TIMEOUT_SECONDS = 600;
    private static final String[] CLIENTS = {"ours", "kafka"};
    private static final String[] ACKS = {"1", "all"};

    private ClientBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        long records = Long.parseLong(options.getOrDefault("records", "2000000"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        Path jar = Paths.get(options.getOrDefault("jar", "tools/target/tidelog.jar"));
        String bootstrap = options.get("bootstrap");
        TidelogBrokerProcess broker = bootstrap == null ? TidelogBrokerProcess.start(jar) : null;
        try {
            String servers = bootstrap != null ? bootstrap : broker.bootstrapServers();
            String only = options.getOrDefault("only", "all");
            if (!List.of("all", "produce", "consume").contains(only)) {
                throw new IllegalArgumentException("--only takes produce, consume or all, not " + only);
            }
            Results results = measure(servers, records, runs, only);
            String table = results.markdown(records, runs);
            System.out.println(table);
            if (options.containsKey("out")) {
                Files.writeString(Paths.get(options.get("out")), table + "\n", StandardCharsets.UTF_8);
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static Results measure(String bootstrap, long records, int runs, String only) throws Exception {
        Results results = new Results();
        try (Admin admin = admin(bootstrap)) {
            for (int run = 1; run <= runs && !only.equals("consume"); run++) {
                for (String acks : ACKS) {
                    for (String client : order(run)) {
                        String topic = "clientbench-produce-" + run + "-" + client + "-acks-" + acks;
                        createTopic(admin, topic);
                        WorkerResult result = runWorker("produce", client, bootstrap, topic, records, acks);
                        results.add("produce acks=" + acks, client, result);
                        log("run " + run + " produce acks=" + acks + " " + client + ": " + result);
                        admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                    }
                }
            }
            if (only.equals("produce")) {
                return results;
            }
            String topic = "clientbench-consume";
            createTopic(admin, topic);
            WorkerResult fill = runWorker("produce", "ours", bootstrap, topic, records, "1");
            log("filled " + topic + ": " + fill);
            for (int run = 1; run <= runs; run++) {
                for (String client : order(run)) {
                    WorkerResult result = runWorker("consume", client, bootstrap, topic, records, "1");
                    results.add("consume", client, result);
                    log("run " + run + " consume " + client + ": " + result);
                }
            }
            admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        }
        return results;
    }

    /** Ours first in odd runs, Kafka's first in even runs. */
    private static List<String> order(int run) {
        return run % 2 == 1 ? List.of(CLIENTS[0], CLIENTS[1]) : List.of(CLIENTS[1], CLIENTS[0]);
    }

    private static WorkerResult runWorker(String mode, String client, String bootstrap, String topic, long records,
            String last) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"), ClientWorker.class.getName(),
                mode, client, bootstrap, topic, Long.toString(records), last));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String resultLine = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(ClientWorker.RESULT_PREFIX)) {
                    resultLine = line;
                }
            }
        }
        if (!process.waitFor(WORKER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(mode + " " + client + " did not finish within " + WORKER_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0 || resultLine == null) {
            throw new IllegalStateException(mode + " " + client + " failed (exit " + process.exitValue() + "): " + resultLine);
        }
        return WorkerResult.parse(resultLine);
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(props);
    }

    private static void createTopic(Admin admin, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static void log(String line) {
        System.err.println("[clientbench] " + line);
    }
}

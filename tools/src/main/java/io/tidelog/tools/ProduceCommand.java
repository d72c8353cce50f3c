package io.tidelog.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.tidelog.client.admin.TidelogAdmin;
import io.tidelog.client.admin.TopicDescription;
import io.tidelog.client.producer.Producer;
import io.tidelog.client.producer.ProducerRecord;
import io.tidelog.client.producer.Serializers;
import io.tidelog.client.producer.TidelogProducer;
import io.tidelog.protocol.record.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tidelog produce}: one record per input line, through our producer. Sends are pipelined;
 * at the end everything is flushed, the count reported, and the exit code is 1 if any send failed.
 */
@Command(name = "produce",
        mixinStandardHelpOptions = true,
        versionProvider = TidelogVersion.class,
        description = {"Send lines from stdin or a file to a topic, one record per line.",
                "With --key-separator each line is key<separator>value."})
final class ProduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "topic", description = "Topic to send to.")
    String topic;
    @Option(names = {"-f", "--file"}, paramLabel = "file", description = "Read lines from this file (default: stdin).")
    Path file;
    @Option(names = {"-k", "--key-separator"}, paramLabel = "sep",
            description = "Split each line at the first sep into key and value (\\t for a tab).")
    String keySeparator;
    @Option(names = {"-H", "--header"}, paramLabel = "key=value",
            description = "A header added to every record. Repeatable.")
    List<String> headers = new ArrayList<>();
    @Option(names = {"-p", "--partition"}, paramLabel = "N",
            description = "Send every record to this partition (default: by key hash, sticky without key).")
    Integer partition;
    @Option(names = "--acks", paramLabel = "all|1|0", defaultValue = "all",
            description = "Acknowledgement required: all in-sync replicas, the leader, or none (default: ${DEFAULT-VALUE}).")
    String acks;
    @Option(names = "--compression", paramLabel = "codec", defaultValue = "none",
            description = "none, gzip, snappy, lz4 or zstd (default: ${DEFAULT-VALUE}).")
    String compression;

    private static final List<String> ACKS = List.of("all", "-1", "1", "0");
    private static final List<String> CODECS = List.of("none", "gzip", "snappy", "lz4", "zstd");

    @Override
    public Integer call() throws IOException {
        if (!ACKS.contains(acks)) {
            throw new ParameterException(spec.commandLine(), "Invalid --acks '" + acks + "' (all, 1 or 0)");
        }
        if (!CODECS.contains(compression)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid --compression '" + compression + "' (" + String.join(", ", CODECS) + ")");
        }
        List<Header> recordHeaders = parseHeaders();
        String separator = keySeparator == null ? null : unescape(keySeparator);
        if (separator != null && separator.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--key-separator must not be empty");
        }
        checkTopic();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        int sent = 0;
        try (BufferedReader lines = open(); Producer<byte[], byte[]> producer = producer()) {
            String line;
            int lineNumber = 0;
            while ((line = lines.readLine()) != null) {
                lineNumber++;
                byte[] key = null;
                String value = line;
                if (separator != null) {
                    int at = line.indexOf(separator);
                    if (at < 0) {
                        throw new CliException("line " + lineNumber + " has no key separator '" + keySeparator
                                + "'; " + sent + " record" + (sent == 1 ? "" : "s") + " before it were sent");
                    }
                    key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
                    value = line.substring(at + separator.length());
                }
                producer.send(new ProducerRecord<>(topic, partition, null, key, value.getBytes(StandardCharsets.UTF_8),
                        recordHeaders)).whenComplete((metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, cause(error));
                            }
                        });
                sent++;
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new CliException(failed.get() + " of " + sent + " records were not sent to " + topic + ": "
                    + firstFailure.get());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Produced " + sent + " record" + (sent == 1 ? "" : "s") + " to " + topic + ".");
        out.flush();
        return 0;
    }

    /** Fails early, with a clear message, if the broker is down, the topic missing or the partition absent. */
    private void checkTopic() {
        try (TidelogAdmin admin = client.admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).get(topic);
            int count = description.partitions().size();
            if (partition != null && (partition < 0 || partition >= count)) {
                throw new CliException("partition " + partition + " of topic '" + topic + "' does not exist (the topic"
                        + " has " + count + " partition" + (count == 1 ? "" : "s") + ")");
            }
        } catch (io.tidelog.client.admin.UnknownTopicException e) {
            throw new CliException(e.getMessage() + " (create it with: tidelog topics create " + topic + ")", e);
        }
    }

    private Producer<byte[], byte[]> producer() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", client.bootstrapServer);
        settings.put("client.id", "tidelog-cli-producer");
        settings.put("acks", acks);
        if (!acks.equals("all") && !acks.equals("-1")) {
            settings.put("enable.idempotence", "false");
        }
        settings.put("compression.type", compression);
        long timeoutMs = client.timeoutMs();
        settings.put("max.block.ms", Long.toString(timeoutMs));
        settings.put("request.timeout.ms", Long.toString(timeoutMs));
        settings.put("delivery.timeout.ms", Long.toString(timeoutMs + 5 + 1_000));
        settings.putAll(client.clientProperties());
        try {
            return new TidelogProducer<>(settings, Serializers.byteArray(), Serializers.byteArray());
        } catch (io.tidelog.client.producer.ConfigException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    private BufferedReader open() throws IOException {
        if (file == null || file.toString().equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("input file " + file + " does not exist");
        }
    }

    private List<Header> parseHeaders() {
        List<Header> parsed = new ArrayList<>();
        for (String header : headers) {
            int equals = header.indexOf('=');
            if (equals <= 0) {
                throw new ParameterException(spec.commandLine(),
                        "Header '" + header + "' is not key=value");
            }
            parsed.add(new Header(header.substring(0, equals),
                    header.substring(equals + 1).getBytes(StandardCharsets.UTF_8)));
        }
        return parsed;
    }

    static String unescape(String text) {
        return text.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r");
    }

    private static String cause(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}

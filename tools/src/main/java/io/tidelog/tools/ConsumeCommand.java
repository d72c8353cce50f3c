package io.tidelog.tools;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;

import io.tidelog.client.admin.TidelogAdmin;
import io.tidelog.client.admin.TopicDescription;
import io.tidelog.client.admin.UnknownTopicException;
import io.tidelog.client.common.TopicPartition;
import io.tidelog.client.consumer.Consumer;
import io.tidelog.client.consumer.ConsumerRebalanceListener;
import io.tidelog.client.consumer.ConsumerRecord;
import io.tidelog.client.consumer.ConsumerRecords;
import io.tidelog.client.consumer.Deserializers;
import io.tidelog.client.consumer.OffsetAndMetadata;
import io.tidelog.client.consumer.TidelogConsumer;
import io.tidelog.client.consumer.WakeupException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tidelog consume}: prints records of a topic through our consumer, one formatted line
 * each, until {@code --max-messages}, {@code --idle-timeout} or Ctrl-C / SIGTERM. With a group,
 * the offsets of the records printed are committed after every poll and once more on the way out,
 * so a stopped consume resumes where it left off.
 */
@Command(name = "consume",
        mixinStandardHelpOptions = true,
        versionProvider = TidelogVersion.class,
        description = {"Print records of a topic, one line each (see --format).",
                "Without --group: reads every partition (or --partition), from the end unless told otherwise.",
                "With --group: joins the group, starts at its committed offsets, commits what it printed."})
final class ConsumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "topic", description = "Topic to read.")
    String topic;
    @Option(names = {"-g", "--group"}, paramLabel = "group", description = "Consumer group to join and commit for.")
    String group;
    @Option(names = {"-p", "--partition"}, paramLabel = "N", split = ",",
            description = "Read only these partitions (comma-separated or repeated).")
    List<Integer> partitions = new ArrayList<>();
    @ArgGroup(exclusive = true)
    Start start;
    @Option(names = {"-n", "--max-messages"}, paramLabel = "N", description = "Exit after printing N records.")
    Long maxMessages;
    @Option(names = "--idle-timeout", paramLabel = "duration", converter = DurationConverter.class,
            description = "Exit when no record arrived for this long (e.g. 5s). Default: wait for more.")
    Duration idleTimeout;
    @Option(names = {"-f", "--format"}, paramLabel = "template", defaultValue = "%v",
            description = "Line per record: %%k key, %%v value, %%o offset, %%p partition, %%t topic, %%T timestamp,"
                    + " %%h headers, %%%% percent; \\n \\t escapes (default: ${DEFAULT-VALUE}).")
    String format;

    static final class Start {
        @Option(names = "--from-beginning", description = "Start at the log start offset (with --group: when the"
                + " group has no committed offset).")
        boolean beginning;
        @Option(names = "--from-end", description = "Start at the end: only records produced from now on.")
        boolean end;
        @Option(names = "--offset", paramLabel = "N", description = "Start at offset N of every partition read.")
        Long offset;
        @Option(names = "--from-timestamp", paramLabel = "time", converter = Timestamps.class,
                description = "Start at the first record at or after this time (ISO-8601 or epoch ms).")
        Long timestamp;
    }

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private long printed;
    private final Map<TopicPartition, Long> printedUpTo = new HashMap<>();

    @Override
    public Integer call() {
        RecordFormat recordFormat;
        try {
            recordFormat = RecordFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Bad --format: " + e.getMessage());
        }
        List<TopicPartition> chosen = choosePartitions();
        Map<TopicPartition, Long> startOffsets = startOffsets(chosen);
        PrintWriter out = spec.commandLine().getOut();
        Consumer<byte[], byte[]> consumer = consumer();
        try {
            Runnable stop = () -> {
                stopRequested.set(true);
                if (!closed.get()) {
                    consumer.wakeup();
                }
            };
            if (Tidelog.handlesSignals()) {
                ShutdownSignals.install(stop);
            }
            try {
                start(consumer, chosen, startOffsets);
                loop(consumer, recordFormat, out);
            } catch (WakeupException e) {
                // Ctrl-C or SIGTERM: commit what was printed and close
            }
            out.flush();
            commit(consumer);
        } finally {
            closed.set(true);
            close(consumer);
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("Processed " + printed + " record" + (printed == 1 ? "" : "s") + ".");
        err.flush();
        return 0;
    }

    /**
     * Polls and prints until a stop condition. A stop request (Ctrl-C) wakes the consumer; the
     * flag also ends the loop when the wakeup was absorbed by a commit in progress.
     */
    private void loop(Consumer<byte[], byte[]> consumer, RecordFormat recordFormat, PrintWriter out) {
        long idleSince = System.nanoTime();
        while (!stopRequested.get() && (maxMessages == null || printed < maxMessages)) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                if (idleTimeout != null && System.nanoTime() - idleSince >= idleTimeout.toNanos()) {
                    break;
                }
                continue;
            }
            idleSince = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                out.println(recordFormat.format(record));
                printedUpTo.put(record.topicPartition(), record.offset() + 1);
                printed++;
                if (maxMessages != null && printed >= maxMessages) {
                    break;
                }
            }
            out.flush();
            commit(consumer);
        }
    }

    /** Commits the offset after the last printed record of each partition (group only); a wakeup retries once. */
    private void commit(Consumer<byte[], byte[]> consumer) {
        if (group == null || printedUpTo.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        printedUpTo.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            consumer.commitSync(offsets);
        }
    }

    /** Closes the consumer; a wakeup that arrived after the loop ended must not fail the close. */
    private static void close(Consumer<byte[], byte[]> consumer) {
        try {
            consumer.close();
        } catch (WakeupException e) {
            consumer.close();
        }
    }

    /** The partitions to read, checked against the topic; empty with a group means "what the group assigns". */
    private List<TopicPartition> choosePartitions() {
        try (TidelogAdmin admin = client.admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).get(topic);
            int count = description.partitions().size();
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < count; p++) {
                all.add(new TopicPartition(topic, p));
            }
            if (partitions.isEmpty()) {
                return all;
            }
            List<TopicPartition> chosen = new ArrayList<>();
            for (int partition : partitions) {
                if (partition < 0 || partition >= count) {
                    throw new CliException("partition " + partition + " of topic '" + topic + "' does not exist (the"
                            + " topic has " + count + " partition" + (count == 1 ? "" : "s") + ")");
                }
                chosen.add(new TopicPartition(topic, partition));
            }
            return chosen;
        } catch (UnknownTopicException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    /** Offsets for --from-timestamp (a timestamp after every record: the end); empty otherwise. */
    private Map<TopicPartition, Long> startOffsets(List<TopicPartition> chosen) {
        if (start == null || start.timestamp == null) {
            return Map.of();
        }
        try (TidelogAdmin admin = client.admin()) {
            Map<TopicPartition, Long> byTime = admin.listOffsets(chosen, start.timestamp);
            Map<TopicPartition, Long> ends = admin.listOffsets(chosen, TidelogAdmin.LATEST);
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (TopicPartition tp : chosen) {
                long offset = byTime.getOrDefault(tp, -1L);
                offsets.put(tp, offset >= 0 ? offset : ends.get(tp));
            }
            return offsets;
        }
    }

    private void start(Consumer<byte[], byte[]> consumer, List<TopicPartition> chosen,
                       Map<TopicPartition, Long> startOffsets) {
        if (group != null && partitions.isEmpty()) {
            Set<TopicPartition> positioned = new HashSet<>();
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    commit(consumer);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    List<TopicPartition> fresh = assigned.stream().filter(positioned::add).toList();
                    position(consumer, fresh, startOffsets, true);
                }
            });
            return;
        }
        consumer.assign(chosen);
        List<TopicPartition> toPosition = chosen;
        if (group != null) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(chosen));
            toPosition = chosen.stream().filter(tp -> committed.get(tp) == null).toList();
            position(consumer, chosen.stream().filter(tp -> committed.get(tp) != null).toList(), startOffsets, true);
        }
        position(consumer, toPosition, startOffsets, false);
    }

    /**
     * Seeks as the start options say. {@code explicitOnly}: only --from-end, --offset and
     * --from-timestamp move a partition (the group's committed offset or auto.offset.reset rules
     * otherwise); else the default without options is the end.
     */
    private void position(Consumer<byte[], byte[]> consumer, List<TopicPartition> targets,
                          Map<TopicPartition, Long> startOffsets, boolean explicitOnly) {
        if (targets.isEmpty()) {
            return;
        }
        if (start != null && start.offset != null) {
            targets.forEach(tp -> consumer.seek(tp, start.offset));
        } else if (start != null && start.timestamp != null) {
            targets.forEach(tp -> consumer.seek(tp, startOffsets.get(tp)));
        } else if (start != null && start.end) {
            consumer.seekToEnd(targets);
        } else if (!explicitOnly) {
            if (start != null && start.beginning) {
                consumer.seekToBeginning(targets);
            } else {
                consumer.seekToEnd(targets);
            }
        }
    }

    private Consumer<byte[], byte[]> consumer() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", client.bootstrapServer);
        settings.put("client.id", "tidelog-cli-consumer");
        if (group != null) {
            settings.put("group.id", group);
        }
        settings.put("enable.auto.commit", "false");
        settings.put("auto.offset.reset", start != null && start.beginning ? "earliest" : "latest");
        settings.put("default.api.timeout.ms", Long.toString(client.timeoutMs()));
        settings.putAll(client.clientProperties());
        try {
            return new TidelogConsumer<>(settings, Deserializers.byteArray(), Deserializers.byteArray());
        } catch (io.tidelog.client.consumer.ConfigException e) {
            throw new CliException(e.getMessage(), e);
        }
    }
}

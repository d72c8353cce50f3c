package io.tidelog.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.tidelog.client.admin.AlterConfigOp;
import io.tidelog.client.admin.ConfigEntry;
import io.tidelog.client.admin.ConfigResource;
import io.tidelog.client.admin.NewTopic;
import io.tidelog.client.admin.PartitionDescription;
import io.tidelog.client.admin.TidelogAdmin;
import io.tidelog.client.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tidelog topics create|list|describe|delete|alter}: topics through the admin client. */
@Command(name = "topics",
        mixinStandardHelpOptions = true,
        versionProvider = TidelogVersion.class,
        description = "Create, list, describe, alter and delete topics.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class, TopicsCommand.Describe.class,
                TopicsCommand.Delete.class, TopicsCommand.Alter.class})
final class TopicsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Tidelog.EXIT_USAGE;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = "Create a topic.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(index = "0", paramLabel = "topic", description = "Name of the topic.")
        String topic;
        @Option(names = {"-p", "--partitions"}, paramLabel = "N",
                description = "Number of partitions (default: the broker's num.partitions).")
        Integer partitions;
        @Option(names = {"-r", "--replication-factor"}, paramLabel = "N",
                description = "Copies of each partition (default: the broker's default.replication.factor).")
        Short replicationFactor;
        @Option(names = {"-c", "--config"}, paramLabel = "key=value",
                description = "A topic configuration key, e.g. retention.ms=3600000. Repeatable.")
        Map<String, String> configs = new LinkedHashMap<>();
        @Option(names = "--if-not-exists", description = "Succeed without change when the topic exists.")
        boolean ifNotExists;

        @Override
        public Integer call() {
            NewTopic newTopic;
            try {
                newTopic = new NewTopic(topic, partitions == null ? NewTopic.BROKER_DEFAULT : partitions,
                        replicationFactor == null ? (short) NewTopic.BROKER_DEFAULT : replicationFactor, configs);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            try (TidelogAdmin admin = client.admin()) {
                try {
                    admin.createTopic(newTopic);
                } catch (io.tidelog.client.admin.TopicExistsException e) {
                    if (!ifNotExists) {
                        throw e;
                    }
                }
                TopicDescription created = admin.describeTopics(List.of(topic)).get(topic);
                PrintWriter out = spec.commandLine().getOut();
                out.println("Created topic " + topic + " with " + created.partitions().size() + " partition"
                        + (created.partitions().size() == 1 ? "" : "s") + ", replication factor "
                        + replicationFactor(created) + ".");
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = "List topic names, one per line.")
    static final class ListTopics implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Option(names = "--include-internal", description = "Also list internal topics (__consumer_offsets).")
        boolean includeInternal;

        @Override
        public Integer call() {
            try (TidelogAdmin admin = client.admin()) {
                PrintWriter out = spec.commandLine().getOut();
                admin.listTopics(includeInternal).forEach(out::println);
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = {"Describe topics: partitions, configuration overrides, and per partition the leader, "
                    + "replicas, in-sync replicas, log start offset and high-water mark.",
                    "Without a topic name: every topic."})
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "topic", arity = "0..*", description = "Topics to describe (default: all).")
        List<String> topics = new ArrayList<>();
        @Option(names = "--include-internal", description = "With no topic named: include internal topics.")
        boolean includeInternal;

        @Override
        public Integer call() {
            try (TidelogAdmin admin = client.admin()) {
                List<String> names = topics.isEmpty() ? new ArrayList<>(admin.listTopics(includeInternal)) : topics;
                if (names.isEmpty()) {
                    return 0;
                }
                PrintWriter out = spec.commandLine().getOut();
                for (TopicDescription topic : admin.describeTopics(names).values()) {
                    String overrides = admin.describeConfigs(ConfigResource.topic(topic.name())).stream()
                            .filter(ConfigEntry::isOverride).map(c -> c.name() + "=" + c.value())
                            .collect(Collectors.joining(","));
                    out.println("Topic: " + topic.name() + "  TopicId: " + topic.topicId() + "  Partitions: "
                            + topic.partitions().size() + "  ReplicationFactor: " + replicationFactor(topic)
                            + "  Configs: " + (overrides.isEmpty() ? "-" : overrides));
                    Table table = new Table("  PARTITION", "LEADER", "LEADER-EPOCH", "REPLICAS", "ISR",
                            "LOG-START-OFFSET", "HIGH-WATERMARK");
                    for (PartitionDescription p : topic.partitions()) {
                        table.row("  " + p.partition(), p.leader() < 0 ? "none" : p.leader(), p.leaderEpoch(),
                                ids(p.replicas()), ids(p.isr()), offset(p.logStartOffset()), offset(p.highWatermark()));
                    }
                    table.print(out);
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = "Delete topics and all their data.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "topic", arity = "1..*", description = "Topics to delete.")
        List<String> topics;

        @Override
        public Integer call() {
            try (TidelogAdmin admin = client.admin()) {
                admin.deleteTopics(topics);
                PrintWriter out = spec.commandLine().getOut();
                topics.forEach(topic -> out.println("Deleted topic " + topic + "."));
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = {"Change a topic: set or remove configuration keys, add partitions.",
                    "A removed key falls back to the broker's default."})
    static final class Alter implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(index = "0", paramLabel = "topic", description = "The topic to change.")
        String topic;
        @Option(names = {"-c", "--config"}, paramLabel = "key=value",
                description = "Set a topic configuration key. Repeatable.")
        Map<String, String> set = new LinkedHashMap<>();
        @Option(names = "--delete-config", paramLabel = "key",
                description = "Remove a topic's own value of a key. Repeatable.")
        List<String> delete = new ArrayList<>();
        @Option(names = {"-p", "--partitions"}, paramLabel = "N",
                description = "Grow the topic to N partitions (never shrinks; keys may map to other partitions).")
        Integer partitions;

        @Override
        public Integer call() {
            if (set.isEmpty() && delete.isEmpty() && partitions == null) {
                throw new ParameterException(spec.commandLine(),
                        "Nothing to change: give --config, --delete-config or --partitions");
            }
            try (TidelogAdmin admin = client.admin()) {
                PrintWriter out = spec.commandLine().getOut();
                if (!set.isEmpty() || !delete.isEmpty()) {
                    List<AlterConfigOp> ops = new ArrayList<>();
                    set.forEach((key, value) -> ops.add(AlterConfigOp.set(key, value)));
                    delete.forEach(key -> ops.add(AlterConfigOp.delete(key)));
                    admin.incrementalAlterConfigs(ConfigResource.topic(topic), ops);
                    out.println("Updated the configuration of topic " + topic + ".");
                }
                if (partitions != null) {
                    admin.increasePartitions(topic, partitions);
                    out.println("Topic " + topic + " now has " + partitions + " partitions.");
                }
                out.flush();
            }
            return 0;
        }
    }

    private static int replicationFactor(TopicDescription topic) {
        return topic.partitions().isEmpty() ? 0 : topic.partitions().get(0).replicas().size();
    }

    private static String ids(List<Integer> ids) {
        return ids.isEmpty() ? "-" : ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String offset(long offset) {
        return offset < 0 ? "?" : Long.toString(offset);
    }
}

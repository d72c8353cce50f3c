package io.tidelog.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.tidelog.client.admin.GroupDescription;
import io.tidelog.client.admin.GroupListing;
import io.tidelog.client.admin.MemberDescription;
import io.tidelog.client.admin.TidelogAdmin;
import io.tidelog.client.admin.TopicDescription;
import io.tidelog.client.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tidelog groups list|describe|reset-offsets|delete}: consumer groups through the admin client. */
@Command(name = "groups",
        mixinStandardHelpOptions = true,
        versionProvider = TidelogVersion.class,
        description = "List, describe, reset the offsets of, and delete consumer groups.",
        subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.Describe.class, GroupsCommand.ResetOffsets.class,
                GroupsCommand.Delete.class})
final class GroupsCommand implements Callable<Integer> {

    static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Tidelog.EXIT_USAGE;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = "List consumer groups with their state.")
    static final class ListGroups implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            try (TidelogAdmin admin = client.admin()) {
                Table table = new Table("GROUP", "STATE", "PROTOCOL-TYPE");
                for (GroupListing group : admin.listGroups()) {
                    table.row(group.groupId(), group.state().isEmpty() ? "?" : group.state(),
                            group.protocolType().isEmpty() ? "-" : group.protocolType());
                }
                table.print(spec.commandLine().getOut());
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = {"Describe a group: its members (id, client id, host, instance id, assigned partitions)",
                    "and per partition the committed offset, log end offset (high-water mark) and lag."})
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(index = "0", paramLabel = "group", description = "The group id.")
        String groupId;

        @Override
        public Integer call() {
            try (TidelogAdmin admin = client.admin()) {
                GroupDescription group = admin.describeGroup(groupId);
                Map<TopicPartition, Long> committed = admin.listGroupOffsets(groupId);
                PrintWriter out = spec.commandLine().getOut();
                out.println("Group: " + groupId + "  State: " + group.state() + "  Protocol: "
                        + (group.protocol().isEmpty() ? "-" : group.protocol()) + "  Coordinator: "
                        + group.coordinatorId() + "  Members: " + group.members().size());
                out.println();
                printMembers(out, group);
                out.println();
                printOffsets(out, admin, group, committed);
            }
            return 0;
        }

        private static void printMembers(PrintWriter out, GroupDescription group) {
            Table members = new Table("MEMBER-ID", "CLIENT-ID", "HOST", "INSTANCE-ID", "ASSIGNMENT");
            for (MemberDescription member : group.members()) {
                members.row(member.memberId(), member.clientId(), member.host(), member.groupInstanceId(),
                        member.assignment().isEmpty() ? "-" : member.assignment().stream().map(TopicPartition::toString)
                                .collect(Collectors.joining(",")));
            }
            members.print(out);
        }

        private static void printOffsets(PrintWriter out, TidelogAdmin admin, GroupDescription group,
                                         Map<TopicPartition, Long> committed) {
            Map<TopicPartition, String> owners = new HashMap<>();
            for (MemberDescription member : group.members()) {
                member.assignment().forEach(tp -> owners.put(tp, member.memberId()));
            }
            TreeSet<TopicPartition> partitions = new TreeSet<>(PARTITION_ORDER);
            partitions.addAll(committed.keySet());
            partitions.addAll(owners.keySet());
            Map<TopicPartition, Long> ends = partitions.isEmpty() ? Map.of()
                    : existing(admin, partitions);
            Table offsets = new Table("TOPIC", "PARTITION", "COMMITTED-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID");
            for (TopicPartition tp : partitions) {
                Long offset = committed.get(tp);
                Long end = ends.get(tp);
                Long lag = offset == null || end == null ? null : Math.max(0, end - offset);
                offsets.row(tp.topic(), tp.partition(), offset, end, lag, owners.get(tp));
            }
            offsets.print(out);
        }

        /** High-water marks of the partitions whose topic still exists. */
        private static Map<TopicPartition, Long> existing(TidelogAdmin admin, TreeSet<TopicPartition> partitions) {
            List<String> live = new ArrayList<>(admin.listTopics(true));
            List<TopicPartition> wanted = partitions.stream().filter(tp -> live.contains(tp.topic())).toList();
            return wanted.isEmpty() ? Map.of() : admin.listOffsets(wanted, TidelogAdmin.LATEST);
        }
    }

    @Command(name = "reset-offsets", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = {"Set a group's committed offsets. The group must have no running consumer.",
                    "Without --topic: every partition the group has committed offsets for."})
    static final class ResetOffsets implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(index = "0", paramLabel = "group", description = "The group id.")
        String groupId;
        @Option(names = {"-t", "--topic"}, paramLabel = "topic[:p,p...]",
                description = "A topic, or some of its partitions (orders:0,2). Repeatable.")
        List<String> topics = new ArrayList<>();
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;
        @Option(names = "--dry-run", description = "Show the new offsets without committing them.")
        boolean dryRun;

        static final class Target {
            @Option(names = "--to-earliest", description = "To the log start offset.")
            boolean earliest;
            @Option(names = "--to-latest", description = "To the high-water mark (skip everything there is).")
            boolean latest;
            @Option(names = "--to-offset", paramLabel = "N", description = "To offset N (kept within the log).")
            Long offset;
            @Option(names = "--to-datetime", paramLabel = "time", converter = Timestamps.class,
                    description = "To the first record at or after this time (ISO-8601 or epoch ms).")
            Long timestamp;
            @Option(names = "--shift-by", paramLabel = "N", description = "Move each committed offset by N (may be negative).")
            Long shift;
        }

        @Override
        public Integer call() {
            try (TidelogAdmin admin = client.admin()) {
                Map<TopicPartition, Long> committed = admin.listGroupOffsets(groupId);
                List<TopicPartition> partitions = partitions(admin, committed);
                if (partitions.isEmpty()) {
                    throw new CliException("group '" + groupId + "' has no committed offsets; name the partitions"
                            + " to reset with --topic");
                }
                Map<TopicPartition, Long> starts = admin.listOffsets(partitions, TidelogAdmin.EARLIEST);
                Map<TopicPartition, Long> ends = admin.listOffsets(partitions, TidelogAdmin.LATEST);
                Map<TopicPartition, Long> byTime = target.timestamp == null ? Map.of()
                        : admin.listOffsets(partitions, target.timestamp);
                Map<TopicPartition, Long> chosen = new LinkedHashMap<>();
                for (TopicPartition tp : partitions) {
                    long wanted = wanted(tp, committed, starts.get(tp), ends.get(tp), byTime);
                    chosen.put(tp, Math.max(starts.get(tp), Math.min(ends.get(tp), wanted)));
                }
                if (!dryRun) {
                    admin.resetGroupOffsets(groupId, chosen);
                }
                PrintWriter out = spec.commandLine().getOut();
                Table table = new Table("TOPIC", "PARTITION", "OLD-OFFSET", "NEW-OFFSET");
                chosen.forEach((tp, offset) -> table.row(tp.topic(), tp.partition(), committed.get(tp), offset));
                table.print(out);
                out.println(dryRun ? "Dry run: nothing committed." : "Committed " + chosen.size() + " offset"
                        + (chosen.size() == 1 ? "" : "s") + " for group " + groupId + ".");
                out.flush();
            }
            return 0;
        }

        private long wanted(TopicPartition tp, Map<TopicPartition, Long> committed, long start, long end,
                            Map<TopicPartition, Long> byTime) {
            if (target.earliest) {
                return start;
            }
            if (target.latest) {
                return end;
            }
            if (target.offset != null) {
                return target.offset;
            }
            if (target.timestamp != null) {
                long offset = byTime.getOrDefault(tp, -1L);
                return offset < 0 ? end : offset;
            }
            Long current = committed.get(tp);
            if (current == null) {
                throw new CliException("group '" + groupId + "' has no committed offset for " + tp + " to shift");
            }
            return current + target.shift;
        }

        private List<TopicPartition> partitions(TidelogAdmin admin, Map<TopicPartition, Long> committed) {
            if (topics.isEmpty()) {
                return new ArrayList<>(committed.keySet());
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (String spec : topics) {
                int colon = spec.indexOf(':');
                String topic = colon < 0 ? spec : spec.substring(0, colon);
                if (colon < 0) {
                    TopicDescription description = admin.describeTopics(List.of(topic)).get(topic);
                    description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                    continue;
                }
                for (String partition : spec.substring(colon + 1).split(",")) {
                    try {
                        partitions.add(new TopicPartition(topic, Integer.parseInt(partition.trim())));
                    } catch (NumberFormatException e) {
                        throw new ParameterException(this.spec.commandLine(),
                                "Bad partition '" + partition + "' in --topic " + spec + " (expected topic:0,1,...)");
                    }
                }
            }
            return partitions;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = "Delete groups without members, and their committed offsets.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "group", arity = "1..*", description = "Group ids.")
        List<String> groups;

        @Override
        public Integer call() {
            try (TidelogAdmin admin = client.admin()) {
                PrintWriter out = spec.commandLine().getOut();
                for (String group : groups) {
                    admin.deleteGroups(List.of(group));
                    out.println("Deleted group " + group + ".");
                    out.flush();
                }
            }
            return 0;
        }
    }
}

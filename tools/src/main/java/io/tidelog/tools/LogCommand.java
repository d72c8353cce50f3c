package io.tidelog.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tidelog log dump}: offline inspection of segment and index files. */
@Command(name = "log",
        mixinStandardHelpOptions = true,
        versionProvider = TidelogVersion.class,
        description = "Inspect log files on disk (offline; needs no broker).",
        subcommands = LogCommand.Dump.class)
final class LogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Tidelog.EXIT_USAGE;
    }

    @Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = TidelogVersion.class,
            description = {"Print every batch of segment files (.log): position, offsets, record count, leader epoch,"
                    + " codec, CRC valid or INVALID, timestamps, producer id/epoch/sequence, size.",
                    "Reads files only (never writes, maps or locks them): safe on a stopped broker's log directory.",
                    "Exits 1 if any file is damaged. A directory stands for every .log file below it;"
                    + " an .index or .timeindex file is checked against its .log."})
    static final class Dump implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "file", arity = "1..*", description = "Segment (.log), index or directory paths.")
        List<Path> files;
        @Option(names = "--verify-index", description = "Also check each segment's .index and .timeindex against it.")
        boolean verifyIndex;
        @Option(names = "--records", description = "Also print each record: offset, timestamp, key, value, headers.")
        boolean records;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<String> damaged = new ArrayList<>();
            for (Path file : expand(files)) {
                String name = file.getFileName().toString();
                if (name.endsWith(".log")) {
                    dumpSegment(out, file, damaged);
                } else if (name.endsWith(".index") || name.endsWith(".timeindex")) {
                    checkIndex(out, file, damaged);
                } else {
                    throw new CliException(file + " is neither a segment (.log) nor an index (.index, .timeindex)");
                }
            }
            out.flush();
            if (!damaged.isEmpty()) {
                throw new CliException("found damage in " + damaged.size() + " file" + (damaged.size() == 1 ? "" : "s")
                        + ": " + damaged.get(0) + (damaged.size() > 1 ? " (and more, see above)" : ""));
            }
            return 0;
        }

        private void dumpSegment(PrintWriter out, Path file, List<String> damaged) throws IOException {
            SegmentDump.Result result = new SegmentDump(out, records).dump(file);
            if (result.corrupt()) {
                damaged.add(file + " at position " + result.firstBadPosition + " (" + result.firstProblem + ")");
            }
            if (verifyIndex) {
                long base = baseOffset(file);
                Path index = sibling(file, ".index");
                Path timeIndex = sibling(file, ".timeindex");
                IndexCheck check = new IndexCheck(out);
                if (Files.exists(index) && check.checkOffsetIndex(index, base, result) > 0) {
                    damaged.add(index + " (entries do not match the log)");
                }
                if (Files.exists(timeIndex) && check.checkTimeIndex(timeIndex, base, result) > 0) {
                    damaged.add(timeIndex + " (entries do not match the log)");
                }
            }
            out.println();
        }

        private void checkIndex(PrintWriter out, Path index, List<String> damaged) throws IOException {
            Path log = sibling(index, ".log");
            if (!Files.exists(log)) {
                throw new CliException("cannot check " + index + ": its segment " + log + " does not exist");
            }
            SegmentDump.Result result = new SegmentDump(new PrintWriter(new StringWriter()), false).dump(log);
            IndexCheck check = new IndexCheck(out);
            long base = baseOffset(index);
            int bad = index.getFileName().toString().endsWith(".timeindex")
                    ? check.checkTimeIndex(index, base, result) : check.checkOffsetIndex(index, base, result);
            if (bad > 0) {
                damaged.add(index + " (entries do not match the log)");
            }
            out.println();
        }

        private static List<Path> expand(List<Path> paths) throws IOException {
            List<Path> expanded = new ArrayList<>();
            for (Path path : paths) {
                if (Files.isDirectory(path)) {
                    try (Stream<Path> walk = Files.walk(path)) {
                        walk.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p))
                                .sorted().forEach(expanded::add);
                    }
                } else if (!Files.exists(path)) {
                    throw new CliException(path + " does not exist");
                } else {
                    expanded.add(path);
                }
            }
            return expanded;
        }

        private static Path sibling(Path file, String extension) {
            String name = file.getFileName().toString();
            return file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + extension);
        }

        /** The segment's base offset, from its 20-digit file name. */
        private static long baseOffset(Path file) {
            String name = file.getFileName().toString();
            String stem = name.substring(0, name.lastIndexOf('.'));
            try {
                return Long.parseLong(stem);
            } catch (NumberFormatException e) {
                throw new CliException("cannot tell the base offset of " + file
                        + " from its name (expected 20 digits, e.g. 00000000000000000000.log)");
            }
        }
    }
}

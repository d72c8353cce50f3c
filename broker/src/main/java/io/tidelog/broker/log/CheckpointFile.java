package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A small text file replaced atomically: the new content is written to {@code <name>.tmp},
 * fsynced, renamed over the old file, and the directory is fsynced so the rename itself survives
 * a crash. A reader therefore sees either the whole old or the whole new content.
 *
 * <p>Format (Kafka's): line 1 version, line 2 entry count, then one entry per line. Blocking: call
 * only from a background thread or at startup/shutdown.
 */
public final class CheckpointFile {

    public static final int VERSION = 0;
    private static final String TMP_SUFFIX = ".tmp";

    private final Path file;

    public CheckpointFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** Replaces the file with {@code entries} (each one line without a newline). */
    public void write(List<String> entries) throws IOException {
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(entries.size()).append('\n');
        for (String entry : entries) {
            text.append(entry).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * The entries, or an empty list when the file does not exist.
     *
     * @throws IOException naming the file when it exists but is malformed
     */
    public List<String> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (lines.size() < 2) {
            throw new IOException("Malformed checkpoint file " + file + ": fewer than 2 header lines");
        }
        try {
            int version = Integer.parseInt(lines.get(0).trim());
            if (version != VERSION) {
                throw new IOException("Unsupported checkpoint version " + version + " in " + file);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() < count + 2) {
                throw new IOException("Malformed checkpoint file " + file + ": declares " + count
                        + " entries, holds " + (lines.size() - 2));
            }
            return new ArrayList<>(lines.subList(2, 2 + count));
        } catch (NumberFormatException e) {
            throw new IOException("Malformed checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes a rename or file creation in {@code dir} durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Removes a stale temp file left by a crash during {@link #write}. */
    public void deleteStaleTemp() throws IOException {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + TMP_SUFFIX));
    }
}

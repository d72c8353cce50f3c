package io.tidelog.broker.metadata;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Hands out producer ids for InitProducerId, never the same one twice, across restarts too.
 *
 * <p>Ids are reserved in blocks: before the first id of a block is handed out, the end of the block
 * is written durably to {@code producer-ids.properties}. After a restart allocation continues at
 * that end, so at most one block of ids is skipped and none is reused.
 */
public final class ProducerIdManager {

    public static final String FILE_NAME = "producer-ids.properties";
    static final long BLOCK_SIZE = 1000;

    private final Path file;
    private long next;
    private long reservedEnd;

    private ProducerIdManager(Path file, long next) {
        this.file = file;
        this.next = next;
        this.reservedEnd = next;
    }

    public static ProducerIdManager open(Path metadataDir) throws IOException {
        Path file = metadataDir.resolve(FILE_NAME);
        long next = 0;
        if (Files.exists(file)) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            }
            String value = props.getProperty("next.block.start");
            if (value == null) {
                throw new IOException(file + " is missing next.block.start");
            }
            next = Long.parseLong(value.trim());
        }
        return new ProducerIdManager(file, next);
    }

    /** The next unused producer id. Blocking when a new block must be reserved (fsync). */
    public synchronized long nextProducerId() throws IOException {
        if (next >= reservedEnd) {
            long end = next + BLOCK_SIZE;
            Properties props = new Properties();
            props.setProperty("next.block.start", Long.toString(end));
            StringWriter text = new StringWriter();
            props.store(text, "Producer ids below this value may have been handed out");
            AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
            reservedEnd = end;
        }
        return next++;
    }
}

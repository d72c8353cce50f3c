package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Common lifecycle of the fixed-entry, memory-mapped index files of one segment.
 *
 * <p>Invariants: entries [0, entries) are valid and immutable except through {@link #truncateEntries};
 * {@code entries * entrySize <= capacity of the current mapping}; while active the file is
 * preallocated to a whole number of entries, when sealed it is exactly
 * {@code entries * entrySize} bytes and has no mapping if empty. The owner thread appends, seals
 * and truncates; lookups may come from any thread and go through {@link #acquire()}, which keeps
 * the mapping alive for the duration of the lookup.
 */
abstract class SegmentIndex implements AutoCloseable {

    private final Path path;
    private final SegmentBackend backend;
    private final int entrySize;
    protected final long baseOffset;
    private volatile SharedMapping mapping;
    private volatile int entries;
    private int capacityEntries;

    protected SegmentIndex(Path path, long baseOffset, SegmentBackend backend, int entrySize) {
        this.path = path;
        this.baseOffset = baseOffset;
        this.backend = backend;
        this.entrySize = entrySize;
    }

    /** Maps an existing trimmed file read-only in spirit (sealed); checks the length is whole entries. */
    protected void openSealed() throws IOException {
        long length;
        try {
            length = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new CorruptIndexException("index file " + path + " is missing");
        }
        if (length % entrySize != 0) {
            throw new CorruptIndexException("index file " + path + " has length " + length
                    + ", not a multiple of the entry size " + entrySize);
        }
        entries = (int) (length / entrySize);
        capacityEntries = entries;
        mapping = length == 0 ? null : new SharedMapping(backend.open(path, length));
    }

    /** Creates an empty preallocated file (replacing any). */
    protected void createEmpty(int maxIndexBytes) throws IOException {
        Files.deleteIfExists(path);
        entries = 0;
        activate(maxIndexBytes);
    }

    /** Grows the file to the active preallocation and maps it; existing entries stay. */
    void activate(int maxIndexBytes) throws IOException {
        int capacity = Math.max(entries, maxIndexBytes / entrySize);
        SharedMapping grown = new SharedMapping(backend.open(path, (long) capacity * entrySize, (long) entries * entrySize));
        swap(grown);
        capacityEntries = capacity;
    }

    /** Trims the file to its entries and remaps it at that size (or unmaps if empty). */
    void seal() throws IOException {
        long length = (long) entries * entrySize;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
        swap(length == 0 ? null : new SharedMapping(backend.open(path, length)));
        capacityEntries = entries;
    }

    private void swap(SharedMapping next) {
        SharedMapping previous = mapping;
        mapping = next;
        if (previous != null) {
            previous.release();
        }
    }

    protected final int entries() {
        return entries;
    }

    boolean isFull() {
        return entries >= capacityEntries;
    }

    /** Reserves disk for the next entry; false if the disk is full (the entry is then skipped). */
    protected final boolean reserveNext() {
        if (isFull()) {
            return false;
        }
        try {
            mapping.file().reserve((long) (entries + 1) * entrySize);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The owner's mapping for writing; only the owner calls this while active. */
    protected final MappedFile writable() {
        return mapping.file();
    }

    protected final void publishEntries(int count) {
        entries = count;
    }

    /** Keeps only the first {@code count} entries. Owner only. */
    protected final void truncateEntries(int count) {
        if (count < entries) {
            entries = count;
        }
    }

    /** A mapping a reader may use until it calls release(), or null if there is none. */
    protected final SharedMapping acquire() {
        for (int attempt = 0; attempt < 4; attempt++) {
            SharedMapping current = mapping;
            if (current == null) {
                return null;
            }
            if (current.tryAcquire()) {
                return current;
            }
        }
        return null;
    }

    void flush() throws IOException {
        SharedMapping current = acquire();
        if (current == null) {
            return;
        }
        try {
            current.file().force((long) entries * entrySize);
        } finally {
            current.release();
        }
    }

    Path path() {
        return path;
    }

    /** Unmaps (deferred until in-flight lookups end). The file stays. Idempotent. */
    @Override
    public void close() {
        swap(null);
    }
}

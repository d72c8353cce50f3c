package io.tidelog.broker.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The two implementations of {@link MappedFile}; run by the same tests and benchmarks. Which one
 * is the default, and why, is recorded in {@code docs/decisions/0001-segment-backend.md}.
 *
 * <p>What {@link #open} guarantees, for both:
 * <ul>
 *   <li>The file is created if missing and its length set to exactly {@code capacity} (a sparse
 *       extension; no blocks are allocated until {@link MappedFile#reserve}). A file already longer
 *       than {@code capacity} is refused with an {@link IOException} and left untouched: shrinking
 *       is the caller's explicit decision (trim on roll), never a side effect of mapping.</li>
 *   <li>Existing content is preserved and readable; reopening after a restart or crash is safe,
 *       and so is reserving in it (reserve never alters a byte that is already there).</li>
 *   <li>{@code capacity} is in {@code [1, Integer.MAX_VALUE]} ({@code log.segment.bytes} is an int
 *       in Kafka); anything else is an {@link IllegalArgumentException}.</li>
 *   <li>{@code [0, capacity)} is mapped read-write; multi-byte values are big-endian in both
 *       backends, so either can reopen the other's files.</li>
 * </ul>
 */
public enum SegmentBackend {

    /** {@code FileChannel.map}: one {@code MappedByteBuffer}, unmapped on close through {@code Unsafe.invokeCleaner}. */
    NIO {
        @Override
        public MappedFile open(Path path, long capacity, long backedUpTo) throws IOException {
            return NioMappedFile.open(path, capacity, backedUpTo);
        }
    },

    /** Chronicle Bytes {@code MappedFile} and its {@code MappedBytesStore}; needs the JVM flags in the root pom. */
    CHRONICLE {
        @Override
        public MappedFile open(Path path, long capacity, long backedUpTo) throws IOException {
            return ChronicleMappedFile.open(path, capacity, backedUpTo);
        }
    };

    /** The backend the broker uses unless configured otherwise; see decision record 0001. */
    public static final SegmentBackend DEFAULT = NIO;

    /**
     * Maps {@code path} read-write with exactly {@code capacity} bytes; see the class comment.
     * Nothing about the file's existing content is assumed: the first {@link MappedFile#reserve}
     * after reopening a file reads its old part once to find holes (see {@code BlockReservation}).
     *
     * @throws IOException if the file cannot be created, sized or mapped, or is longer than {@code capacity}
     */
    public MappedFile open(Path path, long capacity) throws IOException {
        return open(path, capacity, 0);
    }

    /**
     * Like {@link #open(Path, long)}, for a caller that knows {@code [0, backedUpTo)} already has
     * disk blocks, typically a segment's valid size after recovery (its bytes were written and
     * read back): reserving then starts at {@code backedUpTo} without reading the prefix. Values
     * beyond the file's current length are capped to it (an extension is always a hole). Vouching
     * wrongly cannot lose data; it only leaves a hole that a write through the mapping could hit
     * on a full disk.
     */
    public abstract MappedFile open(Path path, long capacity, long backedUpTo) throws IOException;
}

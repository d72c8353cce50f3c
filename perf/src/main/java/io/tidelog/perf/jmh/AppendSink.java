package io.tidelog.perf.jmh;

import io.tidelog.broker.log.MappedFile;
import io.tidelog.broker.log.SegmentBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Something that appends byte batches to a sequence of fixed-size files in one directory, rolling
 * to a fresh file (and deleting the full one) when the next batch does not fit. Deleting on roll
 * keeps disk use at one file and keeps the measurement in the page cache.
 */
abstract class AppendSink implements AutoCloseable {

    private final Path dir;
    final long fileBytes;
    private int fileNumber;
    private Path current;
    long position;

    AppendSink(Path dir, long fileBytes) {
        this.dir = dir;
        this.fileBytes = fileBytes;
    }

    static AppendSink create(AppendTarget target, Path dir, long fileBytes) throws IOException {
        AppendSink sink = switch (target) {
            case NIO -> new Mapped(dir, fileBytes, SegmentBackend.NIO, true);
            case CHRONICLE -> new Mapped(dir, fileBytes, SegmentBackend.CHRONICLE, true);
            case NIO_UNRESERVED -> new Mapped(dir, fileBytes, SegmentBackend.NIO, false);
            case FILE_CHANNEL -> new Channel(dir, fileBytes);
        };
        sink.roll();
        return sink;
    }

    /** Appends {@code batch} (position..limit, left unchanged) and returns the new end position. */
    final long append(ByteBuffer batch) throws IOException {
        int length = batch.remaining();
        if (position + length > fileBytes) {
            roll();
        }
        write(batch, length);
        position += length;
        return position;
    }

    private void roll() throws IOException {
        if (current != null) {
            closeFile();
            Files.delete(current);
        }
        current = dir.resolve(String.format("%020d.log", fileNumber++));
        openFile(current);
        position = 0;
    }

    abstract void openFile(Path path) throws IOException;

    abstract void write(ByteBuffer batch, int length) throws IOException;

    abstract void closeFile() throws IOException;

    @Override
    public final void close() throws IOException {
        if (current != null) {
            closeFile();
            Files.deleteIfExists(current);
            current = null;
        }
    }

    /** Through {@link MappedFile}: reserve, then copy into the mapping, as the log segment does. */
    private static final class Mapped extends AppendSink {
        private final SegmentBackend backend;
        private final boolean reserve;
        private MappedFile file;

        Mapped(Path dir, long fileBytes, SegmentBackend backend, boolean reserve) {
            super(dir, fileBytes);
            this.backend = backend;
            this.reserve = reserve;
        }

        @Override
        void openFile(Path path) throws IOException {
            file = backend.open(path, fileBytes);
        }

        @Override
        void write(ByteBuffer batch, int length) throws IOException {
            if (reserve) {
                file.reserve(position + length);
            }
            file.write(position, batch);
        }

        @Override
        void closeFile() {
            file.close();
        }
    }

    /** The baseline: positional {@code FileChannel.write} from a direct buffer, file grown by the writes. */
    private static final class Channel extends AppendSink {
        private FileChannel channel;

        Channel(Path dir, long fileBytes) {
            super(dir, fileBytes);
        }

        @Override
        void openFile(Path path) throws IOException {
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        @Override
        void write(ByteBuffer batch, int length) throws IOException {
            int start = batch.position();
            long at = position;
            while (batch.hasRemaining()) {
                at += channel.write(batch, at);
            }
            batch.position(start);
        }

        @Override
        void closeFile() throws IOException {
            channel.close();
        }
    }
}

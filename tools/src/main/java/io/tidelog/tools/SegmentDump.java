package io.tidelog.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.CompressionType;
import io.tidelog.protocol.record.Header;
import io.tidelog.protocol.record.Record;
import io.tidelog.protocol.record.RecordBatch;
import io.tidelog.protocol.record.RecordBatchLayout;

/**
 * Reads a segment file ({@code .log}) batch by batch through a read-only {@link FileChannel} and
 * prints each batch header, checking it the way log recovery does (length bounds, magic, CRC-32C,
 * record count, record framing). Nothing is mapped, locked or written, so it is safe on the
 * directory of a stopped broker and harmless on a running one.
 *
 * <p>A run of zero bytes after the last batch is the unused, preallocated tail of an active
 * segment (left by a broker that did not shut down cleanly), not damage. Scanning stops at the
 * first batch whose length or magic cannot be trusted; after a CRC or content failure the
 * declared length still leads to the next batch, so the rest of the file is shown too.
 */
final class SegmentDump {

    /** What a scan found: every batch start (position → base offset) and the first damage, if any. */
    static final class Result {
        final Map<Long, Long> baseOffsetByPosition = new TreeMap<>();
        final Map<Long, Long> maxTimestampByBaseOffset = new TreeMap<>();
        long firstBadPosition = -1;
        String firstProblem;
        long validEnd;
        long fileSize;
        int batches;
        long records;

        boolean corrupt() {
            return firstProblem != null;
        }
    }

    private final PrintWriter out;
    private final boolean printRecords;

    SegmentDump(PrintWriter out, boolean printRecords) {
        this.out = out;
        this.printRecords = printRecords;
    }

    Result dump(Path file) throws IOException {
        Result result = new Result();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            result.fileSize = channel.size();
            out.println("Dumping " + file + " (" + result.fileSize + " bytes)");
            long position = 0;
            ByteBuffer header = ByteBuffer.allocate(RecordBatchLayout.HEADER_SIZE);
            boolean trusted = true;
            while (position < result.fileSize && trusted) {
                long remaining = result.fileSize - position;
                if (allZero(channel, position, result.fileSize)) {
                    out.println("position: " + position + " " + remaining
                            + " zero bytes to the end: the preallocated tail of an active segment");
                    break;
                }
                if (remaining < RecordBatchLayout.HEADER_SIZE) {
                    problem(result, position, "only " + remaining + " bytes left, less than a batch header ("
                            + RecordBatchLayout.HEADER_SIZE + "): a torn write");
                    break;
                }
                read(channel, header.clear(), position);
                int batchLength = RecordBatchLayout.batchLength(header, 0);
                long declared = (long) batchLength + RecordBatchLayout.LOG_OVERHEAD;
                if (declared < RecordBatchLayout.HEADER_SIZE || declared > remaining) {
                    problem(result, position, "bad length: batchLength " + batchLength + " declares " + declared
                            + " bytes, " + remaining + " remain in the file");
                    break;
                }
                byte magic = RecordBatchLayout.magic(header, 0);
                if (magic != RecordBatchLayout.MAGIC_V2) {
                    problem(result, position, "bad magic " + magic + " (expected 2)");
                    break;
                }
                ByteBuffer whole = ByteBuffer.allocate((int) declared);
                read(channel, whole, position);
                RecordBatch batch = new RecordBatch().wrap(whole, 0);
                // A batch the cleaner rewrote holds fewer records than its offset range: still valid.
                BatchValidation validation = batch.validateCompacted();
                printBatch(position, batch, validation);
                result.batches++;
                result.records += batch.recordsCount();
                if (validation.isValid()) {
                    result.baseOffsetByPosition.put(position, batch.baseOffset());
                    result.maxTimestampByBaseOffset.put(batch.baseOffset(), batch.maxTimestamp());
                    if (!result.corrupt()) {
                        result.validEnd = position + declared;
                    }
                    if (printRecords) {
                        printRecords(batch);
                    }
                } else {
                    problem(result, position, describe(validation, batch));
                }
                position += declared;
            }
            summarize(file, result);
        }
        out.flush();
        return result;
    }

    private void printBatch(long position, RecordBatch batch, BatchValidation validation) {
        out.println("position: " + position
                + " baseOffset: " + batch.baseOffset()
                + " lastOffset: " + batch.lastOffset()
                + " count: " + batch.recordsCount()
                + (batch.recordsCount() < batch.lastOffsetDelta() + 1 ? " (compacted)" : "")
                + " partitionLeaderEpoch: " + batch.partitionLeaderEpoch()
                + " magic: " + batch.magic()
                + " codec: " + codecName(batch.compressionCodec())
                + " crc: " + String.format("0x%08x", batch.storedCrc())
                + (validation == BatchValidation.CRC_MISMATCH ? " INVALID" : " valid")
                + (validation.isValid() || validation == BatchValidation.CRC_MISMATCH ? ""
                        : " content: INVALID (" + validation + ")")
                + " firstTimestamp: " + batch.baseTimestamp()
                + " maxTimestamp: " + batch.maxTimestamp()
                + (batch.isLogAppendTime() ? " (LogAppendTime)" : "")
                + " producerId: " + batch.producerId()
                + " producerEpoch: " + batch.producerEpoch()
                + " baseSequence: " + batch.baseSequence()
                + (batch.isTransactional() ? " transactional" : "")
                + (batch.isControl() ? " control" : "")
                + " size: " + batch.sizeInBytes());
    }

    private void printRecords(RecordBatch batch) {
        List<Record> records;
        try {
            records = batch.records(CompressionType::decompress);
        } catch (RuntimeException e) {
            out.println("  records cannot be decoded: " + e.getMessage());
            return;
        }
        for (Record record : records) {
            StringBuilder line = new StringBuilder("  | offset: ").append(record.offset())
                    .append(" timestamp: ").append(record.timestamp())
                    .append(" key: ").append(text(record.key()))
                    .append(" value: ").append(text(record.value()));
            if (!record.headers().isEmpty()) {
                line.append(" headers:");
                for (Header header : record.headers()) {
                    line.append(' ').append(header.key()).append('=').append(text(header.value()));
                }
            }
            out.println(line);
        }
    }

    private void summarize(Path file, Result result) {
        if (result.corrupt()) {
            out.println("CORRUPT " + file + " at position " + result.firstBadPosition + ": " + result.firstProblem);
            out.println("Recovery would keep the first " + result.validEnd + " bytes of " + result.fileSize
                    + " and truncate the rest.");
        } else {
            out.println("OK " + file + ": " + result.batches + " batch" + (result.batches == 1 ? "" : "es") + ", "
                    + result.records + " record" + (result.records == 1 ? "" : "s") + ", " + result.validEnd
                    + " bytes of batches");
        }
    }

    private static void problem(Result result, long position, String why) {
        if (result.firstProblem == null) {
            result.firstProblem = why;
            result.firstBadPosition = position;
        }
    }

    private static String describe(BatchValidation validation, RecordBatch batch) {
        return switch (validation) {
            case CRC_MISMATCH -> String.format("CRC mismatch in the batch at offset %d: stored 0x%08x, computed 0x%08x",
                    batch.baseOffset(), batch.storedCrc(), batch.computeCrc());
            case RECORD_COUNT_MISMATCH -> "record count " + batch.recordsCount() + " but lastOffsetDelta "
                    + batch.lastOffsetDelta() + " in the batch at offset " + batch.baseOffset();
            case INVALID_RECORD -> "a record of the batch at offset " + batch.baseOffset()
                    + " does not parse (framing or offset delta)";
            default -> validation.toString();
        };
    }

    static String codecName(int codec) {
        try {
            return CompressionType.forCodec(codec).configName();
        } catch (RuntimeException e) {
            return "unknown(" + codec + ")";
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean allZero(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long position = from;
        while (position < to) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), to - position));
            read(channel, chunk, position);
            for (int i = 0; i < chunk.limit(); i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
            position += chunk.limit();
        }
        return true;
    }

    private static void read(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("file ended at " + at + " while reading " + buffer.limit() + " bytes at "
                        + position);
            }
            at += n;
        }
        buffer.flip();
    }
}

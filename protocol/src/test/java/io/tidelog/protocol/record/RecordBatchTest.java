package io.tidelog.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.protocol.types.Varint;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBatchTest {

    private static ByteBuffer threeRecords() {
        return new RecordBatchBuilder()
                .append(100L, "a".getBytes(), "1".getBytes())
                .append(90L, null, "2".getBytes(), List.of(new Header("h", null)))
                .append(120L, "c".getBytes(), null)
                .build();
    }

    @Test
    void aBuiltBatchValidatesAndReportsItsHeader() {
        RecordBatch batch = new RecordBatch().wrap(threeRecords(), 0);
        assertThat(batch.validate()).isEqualTo(BatchValidation.VALID);
        assertThat(batch.lastOffsetDelta()).isEqualTo(2);
        assertThat(batch.recordsCount()).isEqualTo(3);
        assertThat(batch.baseTimestamp()).isEqualTo(100L);
        assertThat(batch.maxTimestamp()).isEqualTo(120L);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(-1);
        assertThat(batch.producerId()).isEqualTo(-1L);
        assertThat(batch.lastSequence()).isEqualTo(-1);
    }

    @Test
    void rewritingBaseOffsetAndLeaderEpochKeepsTheCrcValid() {
        ByteBuffer buf = threeRecords();
        RecordBatch batch = new RecordBatch().wrap(buf, 0);
        batch.setBaseOffset(1234L);
        batch.setPartitionLeaderEpoch(7);
        assertThat(batch.validate()).isEqualTo(BatchValidation.VALID);
        assertThat(batch.records()).extracting(Record::offset).containsExactly(1234L, 1235L, 1236L);
        assertThat(batch.nextOffset()).isEqualTo(1237L);
    }

    @Test
    void aFlippedBitInTheRecordsIsACrcMismatch() {
        ByteBuffer buf = threeRecords();
        buf.put(70, (byte) (buf.get(70) ^ 0x10));
        assertThat(new RecordBatch().wrap(buf, 0).validate()).isEqualTo(BatchValidation.CRC_MISMATCH);
    }

    @Test
    void aWrongMagicIsReportedAsBadMagic() {
        ByteBuffer buf = threeRecords();
        buf.put(RecordBatchLayout.MAGIC_OFFSET, (byte) 1);
        assertThat(new RecordBatch().wrap(buf, 0).validate()).isEqualTo(BatchValidation.BAD_MAGIC);
    }

    @Test
    void aLengthBeyondTheBufferIsOutOfBounds() {
        ByteBuffer buf = threeRecords();
        buf.putInt(RecordBatchLayout.BATCH_LENGTH_OFFSET, buf.limit());
        assertThat(new RecordBatch().wrap(buf, 0).validate()).isEqualTo(BatchValidation.LENGTH_OUT_OF_BOUNDS);
        buf.putInt(RecordBatchLayout.BATCH_LENGTH_OFFSET, 10);
        assertThat(new RecordBatch().wrap(buf, 0).validate()).isEqualTo(BatchValidation.LENGTH_OUT_OF_BOUNDS);
    }

    @Test
    void aBufferShorterThanAHeaderIsATruncatedHeader() {
        ByteBuffer buf = threeRecords().limit(40);
        assertThat(new RecordBatch().wrap(buf, 0).validate()).isEqualTo(BatchValidation.TRUNCATED_HEADER);
    }

    @Test
    void integrityAcceptsACompactedBatchWhoseCountNoLongerMatchesItsOffsetRangeButNotABitFlip() {
        ByteBuffer buf = threeRecords();
        buf.putInt(RecordBatchLayout.RECORDS_COUNT_OFFSET, 2);
        RecordBatch batch = new RecordBatch().wrap(buf, 0);
        fixCrc(batch);
        assertThat(batch.validate()).isEqualTo(BatchValidation.RECORD_COUNT_MISMATCH);
        assertThat(batch.validateIntegrity()).isEqualTo(BatchValidation.VALID);

        buf.put(70, (byte) (buf.get(70) ^ 0x10));
        assertThat(batch.validateIntegrity()).isEqualTo(BatchValidation.CRC_MISMATCH);
    }

    @Test
    void aCompactedBatchKeepingTheFirstAndLastOfThreeRecordsValidatesOnlyAsCompacted() {
        ByteBuffer full = threeRecords();
        RecordBatch source = new RecordBatch().wrap(full, 0);
        // Re-frame: the same header with records 0 and 2 only, count 2, CRC recomputed.
        int firstEnd = RecordBatchLayout.RECORDS_OFFSET + recordLength(full, RecordBatchLayout.RECORDS_OFFSET);
        int secondEnd = firstEnd + recordLength(full, firstEnd);
        ByteBuffer compacted = ByteBuffer.allocate(source.sizeInBytes() - (secondEnd - firstEnd));
        compacted.put(full.duplicate().limit(firstEnd).position(0));
        compacted.put(full.duplicate().limit(source.sizeInBytes()).position(secondEnd));
        compacted.flip();
        compacted.putInt(RecordBatchLayout.BATCH_LENGTH_OFFSET, compacted.limit() - RecordBatchLayout.LOG_OVERHEAD);
        compacted.putInt(RecordBatchLayout.RECORDS_COUNT_OFFSET, 2);
        RecordBatch batch = new RecordBatch().wrap(compacted, 0);
        fixCrc(batch);

        assertThat(batch.validateCompacted()).isEqualTo(BatchValidation.VALID);
        assertThat(batch.validate()).isEqualTo(BatchValidation.RECORD_COUNT_MISMATCH);
        assertThat(batch.records()).extracting(Record::offset).containsExactly(0L, 2L);

        compacted.putInt(RecordBatchLayout.RECORDS_COUNT_OFFSET, 4);
        fixCrc(batch);
        assertThat(batch.validateCompacted()).as("more records than offsets").isEqualTo(BatchValidation.RECORD_COUNT_MISMATCH);
    }

    @Test
    void aCompactedBatchWhoseOffsetDeltasDoNotIncreaseIsAnInvalidRecord() {
        ByteBuffer buf = threeRecords();
        buf.putInt(RecordBatchLayout.LAST_OFFSET_DELTA_OFFSET, 5);
        RecordBatch batch = new RecordBatch().wrap(buf, 0);
        fixCrc(batch);
        assertThat(batch.validateCompacted()).as("deltas 0,1,2 within 0..5 are fine").isEqualTo(BatchValidation.VALID);
        assertThat(batch.validate()).isEqualTo(BatchValidation.RECORD_COUNT_MISMATCH);

        buf.putInt(RecordBatchLayout.LAST_OFFSET_DELTA_OFFSET, 1);
        buf.putInt(RecordBatchLayout.RECORDS_COUNT_OFFSET, 2);
        fixCrc(batch);
        assertThat(batch.validateCompacted()).as("a record past lastOffsetDelta").isEqualTo(BatchValidation.INVALID_RECORD);
    }

    /** Bytes of the record at {@code position}: its varint length prefix plus the body. */
    private static int recordLength(ByteBuffer buf, int position) {
        ByteBuffer in = buf.duplicate().position(position);
        int body = Varint.readVarint(in);
        return in.position() - position + body;
    }

    @Test
    void aRecordCountDisagreeingWithLastOffsetDeltaIsRejectedEvenWithAValidCrc() {
        ByteBuffer buf = threeRecords();
        buf.putInt(RecordBatchLayout.RECORDS_COUNT_OFFSET, 4);
        RecordBatch batch = new RecordBatch().wrap(buf, 0);
        fixCrc(batch);
        assertThat(batch.validate()).isEqualTo(BatchValidation.RECORD_COUNT_MISMATCH);
    }

    @Test
    void recordsWhoseFramingDisagreesWithTheCountAreInvalid() {
        ByteBuffer buf = threeRecords();
        buf.putInt(RecordBatchLayout.RECORDS_COUNT_OFFSET, 2);
        buf.putInt(RecordBatchLayout.LAST_OFFSET_DELTA_OFFSET, 1);
        RecordBatch batch = new RecordBatch().wrap(buf, 0);
        fixCrc(batch);
        assertThat(batch.validate()).isEqualTo(BatchValidation.INVALID_RECORD);
    }

    @Test
    void batchesAreWalkedOneAfterAnotherInOneBuffer() {
        ByteBuffer first = threeRecords();
        ByteBuffer second = new RecordBatchBuilder().append(5L, null, new byte[100]).build();
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining()).put(first).put(second).flip();
        RecordBatch batch = new RecordBatch();
        int position = 0;
        int batches = 0;
        while (position < both.limit()) {
            assertThat(batch.wrap(both, position).validate()).isEqualTo(BatchValidation.VALID);
            position += batch.sizeInBytes();
            batches++;
        }
        assertThat(batches).isEqualTo(2);
    }

    @Test
    void theBuilderPredictsTheSizeAfterTheNextRecord() {
        RecordBatchBuilder builder = new RecordBatchBuilder(16).append(1L, null, new byte[10]);
        int predicted = builder.sizeInBytesAfter(3L, "k".getBytes(), new byte[1000], List.of(new Header("x", new byte[3])));
        builder.append(3L, "k".getBytes(), new byte[1000], List.of(new Header("x", new byte[3])));
        assertThat(builder.sizeInBytes()).isEqualTo(predicted);
        assertThat(builder.build().remaining()).isEqualTo(predicted);
    }

    private static void fixCrc(RecordBatch batch) {
        batch.buffer().putInt(batch.start() + RecordBatchLayout.CRC_OFFSET, (int) batch.computeCrc());
    }
}

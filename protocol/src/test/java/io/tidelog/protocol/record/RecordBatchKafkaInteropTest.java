package io.tidelog.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** kafka-clients is the oracle: batches cross in both directions with identical content. */
class RecordBatchKafkaInteropTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @Test
    void kafkaParsesABatchWeBuiltWithEqualRecords() {
        Random random = new Random(SEED);
        RecordBatchBuilder builder = new RecordBatchBuilder().producer(4711L, (short) 3, 17).partitionLeaderEpoch(9);
        List<Record> expected = new ArrayList<>();
        long timestamp = 1_700_000_000_000L;
        for (int i = 0; i < 50; i++) {
            long ts = timestamp + random.nextInt(2000) - 1000;
            byte[] key = random.nextInt(4) == 0 ? null : bytes(random, random.nextInt(20));
            byte[] value = random.nextInt(10) == 0 ? null : bytes(random, random.nextInt(300));
            List<Header> headers = random.nextBoolean()
                    ? List.of(new Header("h" + i, bytes(random, 5)), new Header("nullable", null))
                    : List.of();
            builder.append(ts, key, value, headers);
            expected.add(new Record(i, ts, key, value, headers));
        }
        ByteBuffer built = builder.build();

        MemoryRecords kafka = MemoryRecords.readableRecords(built.duplicate());
        List<MutableRecordBatch> batches = new ArrayList<>();
        kafka.batches().forEach(batches::add);
        assertThat(batches).as("seed %d", SEED).hasSize(1);
        MutableRecordBatch batch = batches.get(0);
        batch.ensureValid();
        assertThat(batch.producerId()).isEqualTo(4711L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(17);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(9);
        assertThat(batch.countOrNull()).isEqualTo(50);
        List<Record> actual = new ArrayList<>();
        for (org.apache.kafka.common.record.internal.Record r : batch) {
            List<Header> headers = new ArrayList<>();
            for (org.apache.kafka.common.header.Header h : r.headers()) {
                headers.add(new Header(h.key(), h.value()));
            }
            actual.add(new Record(r.offset(), r.timestamp(), toBytes(r.key()), toBytes(r.value()), headers));
        }
        assertThat(actual).as("seed %d", SEED).isEqualTo(expected);
        assertThat(batch.maxTimestamp()).isEqualTo(expected.stream().mapToLong(Record::timestamp).max().orElseThrow());
    }

    @Test
    void weValidateAndParseABatchKafkaBuilt() {
        SimpleRecord[] simple = {
            new SimpleRecord(1000L, "k1".getBytes(StandardCharsets.UTF_8), "v1".getBytes(StandardCharsets.UTF_8)),
            new SimpleRecord(1005L, null, "v2".getBytes(StandardCharsets.UTF_8)),
            new SimpleRecord(999L, "k3".getBytes(StandardCharsets.UTF_8), null,
                    new org.apache.kafka.common.header.Header[] {new RecordHeader("a", "b".getBytes(StandardCharsets.UTF_8))}),
        };
        MemoryRecords kafka = MemoryRecords.withIdempotentRecords(Compression.NONE, 42L, (short) 1, 7, simple);
        ByteBuffer buf = kafka.buffer();

        RecordBatch batch = new RecordBatch().wrap(buf, buf.position());

        assertThat(batch.validate()).isEqualTo(BatchValidation.VALID);
        assertThat(batch.sizeInBytes()).isEqualTo(buf.remaining());
        assertThat(batch.producerId()).isEqualTo(42L);
        assertThat(batch.baseSequence()).isEqualTo(7);
        assertThat(batch.lastSequence()).isEqualTo(9);
        assertThat(batch.maxTimestamp()).isEqualTo(1005L);
        assertThat(batch.records()).containsExactly(
                new Record(0, 1000L, "k1".getBytes(StandardCharsets.UTF_8), "v1".getBytes(StandardCharsets.UTF_8), List.of()),
                new Record(1, 1005L, null, "v2".getBytes(StandardCharsets.UTF_8), List.of()),
                new Record(2, 999L, "k3".getBytes(StandardCharsets.UTF_8), null,
                        List.of(new Header("a", "b".getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void ourCrcEqualsKafkasForTheSameBytes() {
        ByteBuffer built = new RecordBatchBuilder().append(5L, null, new byte[] {1, 2, 3}).build();
        MutableRecordBatch kafkaBatch = MemoryRecords.readableRecords(built.duplicate()).batches().iterator().next();
        assertThat(new RecordBatch().wrap(built, 0).storedCrc()).isEqualTo(kafkaBatch.checksum());
        assertThat(kafkaBatch.isValid()).isTrue();
    }

    @Test
    void kafkaReadsAGzipBatchWeFramedAndWeReadAGzipBatchKafkaBuilt() throws Exception {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int i = 0; i < 20; i++) {
            builder.append(5000L + i, ("key" + i).getBytes(StandardCharsets.UTF_8), ("value " + i).repeat(10).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer ours = builder.buildCompressed(1, RecordBatchKafkaInteropTest::gzip);

        MutableRecordBatch kafkaView = MemoryRecords.readableRecords(ours.duplicate()).batches().iterator().next();
        kafkaView.ensureValid();
        List<String> values = new ArrayList<>();
        for (org.apache.kafka.common.record.internal.Record r : kafkaView) {
            values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
        }
        assertThat(values).hasSize(20).first().isEqualTo("value 0".repeat(10));

        MemoryRecords kafka = MemoryRecords.withRecords(Compression.gzip().build(),
                new SimpleRecord(7L, "a".getBytes(StandardCharsets.UTF_8), "b".getBytes(StandardCharsets.UTF_8)),
                new SimpleRecord(8L, null, "c".getBytes(StandardCharsets.UTF_8)));
        RecordBatch batch = new RecordBatch().wrap(kafka.buffer(), kafka.buffer().position());
        assertThat(batch.validate()).isEqualTo(BatchValidation.VALID);
        assertThat(batch.compressionCodec()).isEqualTo(1);
        assertThat(batch.records(RecordBatchKafkaInteropTest::gunzip)).extracting(Record::offset, Record::timestamp)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 7L), org.assertj.core.groups.Tuple.tuple(1L, 8L));
    }

    private static ByteBuffer gzip(ByteBuffer raw) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
                byte[] bytes = new byte[raw.remaining()];
                raw.duplicate().get(bytes);
                gz.write(bytes);
            }
            return ByteBuffer.wrap(out.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ByteBuffer gunzip(Integer codec, ByteBuffer block) {
        assertThat(codec).isEqualTo(1);
        byte[] bytes = new byte[block.remaining()];
        block.duplicate().get(bytes);
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return ByteBuffer.wrap(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}

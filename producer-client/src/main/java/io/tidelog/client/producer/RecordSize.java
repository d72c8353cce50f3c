package io.tidelog.client.producer;

import io.tidelog.protocol.record.Header;
import io.tidelog.protocol.record.RecordBatchLayout;
import io.tidelog.protocol.types.Varint;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Upper bound of the bytes one record adds to a record batch v2 (timestamp delta of 8 bytes). */
final class RecordSize {

    private static final int MAX_TIMESTAMP_DELTA_BYTES = 10;
    private static final int MAX_OFFSET_DELTA_BYTES = 5;

    private RecordSize() {
    }

    static int upperBound(byte[] key, byte[] value, List<Header> headers) {
        int body = 1 + MAX_TIMESTAMP_DELTA_BYTES + MAX_OFFSET_DELTA_BYTES + sizeOfBytes(key) + sizeOfBytes(value)
                + Varint.sizeOfVarint(headers.size());
        for (Header header : headers) {
            body += sizeOfBytes(header.key().getBytes(StandardCharsets.UTF_8)) + sizeOfBytes(header.value());
        }
        return Varint.sizeOfVarint(body) + body;
    }

    /** Size of a batch holding just this record, as an upper bound. */
    static int aloneInBatch(byte[] key, byte[] value, List<Header> headers) {
        return RecordBatchLayout.HEADER_SIZE + upperBound(key, value, headers);
    }

    private static int sizeOfBytes(byte[] bytes) {
        return bytes == null ? 1 : Varint.sizeOfVarint(bytes.length) + bytes.length;
    }
}

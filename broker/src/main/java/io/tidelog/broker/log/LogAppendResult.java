package io.tidelog.broker.log;

import io.tidelog.protocol.record.BatchValidation;
import io.tidelog.protocol.record.RecordBatchLayout;

/**
 * Outcome of an append: either the offsets assigned, or the error with nothing written.
 *
 * @param error          NONE on success
 * @param firstOffset    baseOffset of the first batch appended; -1 on error or when nothing was given
 * @param lastOffset     last offset appended; -1 on error or when nothing was given
 * @param maxTimestamp   the largest batch maxTimestamp appended, or -1
 * @param logAppendTime  broker time stamped into LogAppendTime batches, or -1 for CreateTime
 * @param batchCount     batches appended
 * @param failedBatch    index of the batch that failed validation, or -1
 * @param validation     why that batch failed, or VALID
 * @param message        human-readable detail for an error, else null
 */
public record LogAppendResult(AppendError error, long firstOffset, long lastOffset, long maxTimestamp,
                              long logAppendTime, int batchCount, int failedBatch, BatchValidation validation,
                              String message) {

    static LogAppendResult appended(long firstOffset, long lastOffset, long maxTimestamp, int batchCount) {
        return new LogAppendResult(AppendError.NONE, firstOffset, lastOffset, maxTimestamp,
                RecordBatchLayout.NO_TIMESTAMP, batchCount, -1, BatchValidation.VALID, null);
    }

    static LogAppendResult nothing() {
        return new LogAppendResult(AppendError.NONE, -1, -1, RecordBatchLayout.NO_TIMESTAMP,
                RecordBatchLayout.NO_TIMESTAMP, 0, -1, BatchValidation.VALID, null);
    }

    static LogAppendResult rejected(AppendError error, int failedBatch, BatchValidation validation, String message) {
        return new LogAppendResult(error, -1, -1, RecordBatchLayout.NO_TIMESTAMP, RecordBatchLayout.NO_TIMESTAMP,
                0, failedBatch, validation, message);
    }

    LogAppendResult withLogAppendTime(long time) {
        return new LogAppendResult(error, firstOffset, lastOffset, time, time, batchCount, failedBatch, validation, message);
    }

    public boolean isSuccess() {
        return error == AppendError.NONE;
    }
}

package io.tidelog.broker.replica;

import io.tidelog.broker.log.LogSlice;
import io.tidelog.protocol.Errors;

/**
 * What a fetch read from one partition. The slice (possibly empty) references a segment until
 * released; whoever receives the result releases it after sending (see {@link #release()}).
 */
public record FetchPartitionResult(FetchPartitionRequest request, Errors error, LogSlice slice, long highWatermark,
                                   long lastStableOffset, long logStartOffset) {

    static FetchPartitionResult error(FetchPartitionRequest request, Errors error) {
        return new FetchPartitionResult(request, error, LogSlice.empty(), -1, -1, -1);
    }

    public int bytes() {
        return slice.sizeInBytes();
    }

    public void release() {
        slice.release();
    }
}

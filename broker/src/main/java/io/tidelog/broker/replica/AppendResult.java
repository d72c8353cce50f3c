package io.tidelog.broker.replica;

import io.tidelog.protocol.Errors;

/**
 * What happened to one partition's records in a produce request. Filled in on the partition's
 * owner thread, read by whoever answers the request after all partitions are done (the hand-off
 * goes through an atomic counter, which orders the writes before the reads).
 */
public final class AppendResult {

    private final TopicPartition topicPartition;
    private Errors error = Errors.NONE;
    private String errorMessage;
    private long baseOffset = -1;
    private long lastOffset = -1;
    private long logStartOffset = -1;
    private long logAppendTime = -1;

    public AppendResult(TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Errors error() {
        return error;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Last offset appended; the batch is committed once the high-water mark passes it. */
    public long lastOffset() {
        return lastOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** The broker time stamped into the batch (LogAppendTime topics), or -1 (CreateTime). */
    public long logAppendTime() {
        return logAppendTime;
    }

    AppendResult fail(Errors error, String message) {
        this.error = error;
        this.errorMessage = message;
        this.baseOffset = -1;
        this.lastOffset = -1;
        return this;
    }

    AppendResult succeed(long baseOffset, long lastOffset, long logStartOffset) {
        return succeed(baseOffset, lastOffset, logStartOffset, -1);
    }

    AppendResult succeed(long baseOffset, long lastOffset, long logStartOffset, long logAppendTime) {
        this.logAppendTime = logAppendTime;
        this.error = Errors.NONE;
        this.errorMessage = null;
        this.baseOffset = baseOffset;
        this.lastOffset = lastOffset;
        this.logStartOffset = logStartOffset;
        return this;
    }

    /** An acks=all wait ended before the high-water mark passed the batch. */
    void timedOut() {
        this.error = Errors.REQUEST_TIMED_OUT;
        this.errorMessage = "the high-water mark did not reach offset " + lastOffset + " in time";
    }
}

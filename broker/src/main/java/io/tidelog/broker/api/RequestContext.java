package io.tidelog.broker.api;

import io.tidelog.broker.metrics.RequestMetrics;
import io.tidelog.broker.network.PendingResponse;
import io.tidelog.broker.network.ResponseParts;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.frame.EncodedFrame;
import io.tidelog.protocol.frame.FrameEncoder;
import io.tidelog.protocol.frame.RequestHeader;
import io.tidelog.protocol.message.ApiMessage;
import io.tidelog.protocol.record.FileRegionRecords;
import io.tidelog.protocol.record.MemoryRecords;
import io.tidelog.protocol.record.Records;
import java.nio.ByteBuffer;

/**
 * One request being handled: its header and the slot its answer goes into. A handler ends every
 * request with exactly one of {@link #respond}, {@link #noResponse()} or {@link #closeConnection}.
 *
 * <p>Buffer ownership: records decoded from the request are views of the network frame and are
 * valid only until the request is answered. Records put into a response (log file regions) stay
 * referenced until the response has been written; {@code onReleased} then frees them.
 */
public final class RequestContext {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestContext.class);

    private final RequestHeader header;
    private final PendingResponse response;
    private final RequestMetrics metrics;
    private final long startNanos;

    RequestContext(RequestHeader header, PendingResponse response, RequestMetrics metrics, long startNanos) {
        this.header = header;
        this.response = response;
        this.metrics = metrics;
        this.startNanos = startNanos;
    }

    public RequestHeader header() {
        return header;
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }

    public Object connectionId() {
        return response.connectionId();
    }

    /** Encodes {@code body} at the request's version and queues it. */
    public void respond(ApiMessage body) {
        respond(body, null);
    }

    /** As {@link #respond(ApiMessage)}; {@code onReleased} runs once the bytes have left (or never will). */
    public void respond(ApiMessage body, Runnable onReleased) {
        respondAtVersion(body, header.apiVersion(), onReleased);
    }

    /**
     * Encodes {@code body} at {@code version} (ApiVersions answers unsupported versions in v0).
     * Never throws: a body that cannot be encoded is a bug, logged, and the connection is closed
     * so the client does not wait forever for an answer that will not come.
     */
    void respondAtVersion(ApiMessage body, short version, Runnable onReleased) {
        EncodedFrame frame;
        try {
            frame = FrameEncoder.encodeResponse(header.correlationId(), version, body);
        } catch (RuntimeException e) {
            if (onReleased != null) {
                onReleased.run();
            }
            LOG.error("Cannot encode the {} v{} answer to {}; closing the connection", body.apiKey().apiName(), version,
                    response.remoteAddress(), e);
            response.closeConnection("response could not be encoded");
            return;
        }
        ResponseParts parts = toParts(frame);
        if (onReleased != null) {
            parts.onReleased(onReleased);
        }
        recordLatency();
        response.complete(parts);
    }

    /** Produce with acks=0: nothing goes back. */
    public void noResponse() {
        recordLatency();
        response.completeWithoutResponse();
    }

    /** Closes the connection after the answers to earlier requests. */
    public void closeConnection(String reason) {
        recordLatency();
        response.closeConnection(reason);
    }

    /** Counts an error code put into this request's answer (no-op without metrics). */
    public void countError(Errors error) {
        if (metrics != null && error != Errors.NONE && header.api() != null) {
            metrics.error(header.api(), error);
        }
    }

    private void recordLatency() {
        if (metrics != null && header.api() != null) {
            metrics.record(header.api(), System.nanoTime() - startNanos);
        }
    }

    public String remoteAddress() {
        return response.remoteAddress();
    }

    private static ResponseParts toParts(EncodedFrame frame) {
        ResponseParts parts = new ResponseParts();
        frame.forEachPart(new EncodedFrame.PartConsumer() {
            @Override
            public void buffer(ByteBuffer bytes) {
                parts.addBuffer(bytes);
            }

            @Override
            public void records(Records records) {
                if (records instanceof FileRegionRecords file) {
                    parts.addFileSlice(file.channel(), file.position(), file.sizeInBytes());
                } else if (records instanceof MemoryRecords memory) {
                    parts.addBuffer(memory.buffer());
                } else {
                    throw new IllegalStateException("cannot send records of type " + records.getClass().getName());
                }
            }
        });
        return parts;
    }
}

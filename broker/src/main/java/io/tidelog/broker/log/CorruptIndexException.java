package io.tidelog.broker.log;

import java.io.IOException;

/** An index file failed its sanity check on open; the segment rebuilds it from the log. */
public final class CorruptIndexException extends IOException {

    private static final long serialVersionUID = 1L;

    public CorruptIndexException(String message) {
        super(message);
    }
}

package io.tidelog.client.admin;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;

/** The broker does not serve an API this operation needs (or no version both sides know). */
public final class UnsupportedApiException extends AdminException {

    public UnsupportedApiException(ApiKey api, String broker) {
        super(Errors.UNSUPPORTED_VERSION, "the broker at " + broker + " does not support " + api.apiName()
                + " (api key " + api.id() + "); upgrade the broker to use this operation");
    }
}

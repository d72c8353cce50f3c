package io.tidelog.broker.api;

import io.tidelog.broker.metadata.ProducerIdManager;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.InitProducerIdRequest;
import io.tidelog.protocol.message.InitProducerIdResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InitProducerId v0–4 for idempotent producers: a fresh producer id (never reused, across
 * restarts too) with epoch 0, on the control thread (reserving a block of ids fsyncs). Like Kafka,
 * a non-transactional producer gets a new id even when it sends its old one (v3+). Transactional
 * ids are refused: Tidelog has no transaction coordinator.
 */
final class InitProducerIdHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InitProducerIdHandler.class);

    private final ProducerIdManager producerIds;
    private final Executor control;

    InitProducerIdHandler(ProducerIdManager producerIds, Executor control) {
        this.producerIds = producerIds;
        this.control = control;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        InitProducerIdRequest request = InitProducerIdRequest.read(body, context.apiVersion());
        if (request.transactionalId() != null) {
            context.respond(new InitProducerIdResponse()
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
            return;
        }
        control.execute(() -> {
            InitProducerIdResponse response = new InitProducerIdResponse();
            try {
                response.setErrorCode(Errors.NONE.code()).setProducerId(producerIds.nextProducerId())
                        .setProducerEpoch((short) 0);
            } catch (Exception e) {
                LOG.error("Allocating a producer id failed", e);
                response.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()).setProducerId(-1)
                        .setProducerEpoch((short) -1);
            }
            context.respond(response);
        });
    }
}

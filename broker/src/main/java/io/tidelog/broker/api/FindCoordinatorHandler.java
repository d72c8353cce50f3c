package io.tidelog.broker.api;

import io.tidelog.broker.metadata.MetadataImage;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.FindCoordinatorRequest;
import io.tidelog.protocol.message.FindCoordinatorResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;

/**
 * FindCoordinator v0–4: this broker coordinates every group (single node). v0–3 ask for one key,
 * v4 for a batch. Transaction coordinators do not exist: COORDINATOR_NOT_AVAILABLE.
 */
final class FindCoordinatorHandler implements ApiHandler {

    private static final byte GROUP = 0;

    private final TopicRegistry registry;

    FindCoordinatorHandler(TopicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        FindCoordinatorRequest request = FindCoordinatorRequest.read(body, context.apiVersion());
        MetadataImage image = registry.image();
        boolean group = request.keyType() == GROUP;
        Errors error = group ? Errors.NONE : Errors.COORDINATOR_NOT_AVAILABLE;
        String message = group ? null : "Tidelog has no transaction coordinator";
        int nodeId = group ? image.nodeId() : -1;
        String host = group ? image.advertisedHost() : "";
        int port = group ? image.advertisedPort() : -1;
        FindCoordinatorResponse response = new FindCoordinatorResponse();
        if (context.apiVersion() >= 4) {
            List<FindCoordinatorResponse.Coordinator> coordinators = new ArrayList<>(request.coordinatorKeys().size());
            for (String key : request.coordinatorKeys()) {
                coordinators.add(new FindCoordinatorResponse.Coordinator().setKey(key).setNodeId(nodeId).setHost(host)
                        .setPort(port).setErrorCode(error.code()).setErrorMessage(message));
            }
            response.setCoordinators(coordinators);
        } else {
            response.setErrorCode(error.code()).setNodeId(nodeId).setHost(host).setPort(port);
            if (context.apiVersion() >= 1) {
                response.setErrorMessage(message);
            }
        }
        context.respond(response);
    }
}

package io.tidelog.broker.api;

import io.tidelog.broker.api.ConfigAlterations.Change;
import io.tidelog.broker.api.ConfigAlterations.Outcome;
import io.tidelog.broker.api.ConfigAlterations.Resource;
import io.tidelog.protocol.message.IncrementalAlterConfigsRequest;
import io.tidelog.protocol.message.IncrementalAlterConfigsRequest.AlterConfigsResource;
import io.tidelog.protocol.message.IncrementalAlterConfigsResponse;
import io.tidelog.protocol.message.IncrementalAlterConfigsResponse.AlterConfigsResourceResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * IncrementalAlterConfigs v0–1 (Admin.incrementalAlterConfigs, {@code tidelog topics alter}):
 * SET, DELETE, and APPEND/SUBTRACT on {@code cleanup.policy}, for topic resources, on the control
 * thread. See {@link ConfigAlterations} for the rules and errors.
 */
final class IncrementalAlterConfigsHandler implements ApiHandler {

    private final ConfigAlterations alterations;
    private final Executor control;

    IncrementalAlterConfigsHandler(ConfigAlterations alterations, Executor control) {
        this.alterations = alterations;
        this.control = control;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        IncrementalAlterConfigsRequest request = IncrementalAlterConfigsRequest.read(body, context.apiVersion());
        List<Resource> resources = new ArrayList<>(request.resources().size());
        for (AlterConfigsResource resource : request.resources()) {
            List<Change> changes = new ArrayList<>(resource.configs().size());
            for (AlterConfigsResource.AlterableConfig config : resource.configs()) {
                changes.add(new Change(config.name(), config.configOperation(), config.value()));
            }
            resources.add(new Resource(resource.resourceType(), resource.resourceName(), changes));
        }
        control.execute(() -> {
            List<Outcome> outcomes = alterations.alter(resources, true, request.validateOnly());
            IncrementalAlterConfigsResponse response = new IncrementalAlterConfigsResponse();
            for (int i = 0; i < resources.size(); i++) {
                response.responses().add(new AlterConfigsResourceResponse()
                        .setErrorCode(outcomes.get(i).error().code()).setErrorMessage(outcomes.get(i).message())
                        .setResourceType(resources.get(i).type()).setResourceName(resources.get(i).name()));
            }
            context.respond(response);
        });
    }
}

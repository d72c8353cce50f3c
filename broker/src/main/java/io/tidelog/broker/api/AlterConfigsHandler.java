package io.tidelog.broker.api;

import io.tidelog.broker.api.ConfigAlterations.Change;
import io.tidelog.broker.api.ConfigAlterations.Outcome;
import io.tidelog.broker.api.ConfigAlterations.Resource;
import io.tidelog.protocol.message.AlterConfigsRequest;
import io.tidelog.protocol.message.AlterConfigsRequest.AlterConfigsResource;
import io.tidelog.protocol.message.AlterConfigsResponse;
import io.tidelog.protocol.message.AlterConfigsResponse.AlterConfigsResourceResponse;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * AlterConfigs v0–2 (kcat and older tools): the keys given become a topic's whole set of
 * overrides; keys left out return to their defaults. On the control thread; see
 * {@link ConfigAlterations} for the rules and errors.
 */
final class AlterConfigsHandler implements ApiHandler {

    private final ConfigAlterations alterations;
    private final Executor control;

    AlterConfigsHandler(ConfigAlterations alterations, Executor control) {
        this.alterations = alterations;
        this.control = control;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        AlterConfigsRequest request = AlterConfigsRequest.read(body, context.apiVersion());
        List<Resource> resources = new ArrayList<>(request.resources().size());
        for (AlterConfigsResource resource : request.resources()) {
            List<Change> changes = new ArrayList<>(resource.configs().size());
            for (AlterConfigsResource.AlterableConfig config : resource.configs()) {
                changes.add(new Change(config.name(), ConfigAlterations.SET, config.value()));
            }
            resources.add(new Resource(resource.resourceType(), resource.resourceName(), changes));
        }
        control.execute(() -> {
            List<Outcome> outcomes = alterations.alter(resources, false, request.validateOnly());
            AlterConfigsResponse response = new AlterConfigsResponse();
            for (int i = 0; i < resources.size(); i++) {
                response.responses().add(new AlterConfigsResourceResponse()
                        .setErrorCode(outcomes.get(i).error().code()).setErrorMessage(outcomes.get(i).message())
                        .setResourceType(resources.get(i).type()).setResourceName(resources.get(i).name()));
            }
            context.respond(response);
        });
    }
}

package io.tidelog.client.admin;

import io.tidelog.protocol.ApiKey;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.DescribeConfigsRequest;
import io.tidelog.protocol.message.DescribeConfigsResponse;
import io.tidelog.protocol.message.IncrementalAlterConfigsRequest;
import io.tidelog.protocol.message.IncrementalAlterConfigsRequest.AlterConfigsResource;
import io.tidelog.protocol.message.IncrementalAlterConfigsRequest.AlterConfigsResource.AlterableConfig;
import io.tidelog.protocol.message.IncrementalAlterConfigsResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** DescribeConfigs and IncrementalAlterConfigs for one resource at a time. */
final class ConfigOperations {

    private final AdminChannel channel;

    ConfigOperations(AdminChannel channel) {
        this.channel = channel;
    }

    List<ConfigEntry> describe(ConfigResource resource, long deadlineMs) {
        DescribeConfigsResponse response = (DescribeConfigsResponse) channel.callAny(ApiKey.DESCRIBE_CONFIGS,
                version -> {
                    DescribeConfigsRequest request = new DescribeConfigsRequest();
                    request.resources().add(new DescribeConfigsRequest.DescribeConfigsResource()
                            .setResourceType(resource.type().id()).setResourceName(resource.name())
                            .setConfigurationKeys(null));
                    return request;
                }, deadlineMs);
        List<ConfigEntry> entries = new ArrayList<>();
        for (DescribeConfigsResponse.DescribeConfigsResult result : response.results()) {
            check(resource, Errors.forCode(result.errorCode()), result.errorMessage(), "describe");
            for (DescribeConfigsResponse.DescribeConfigsResult.DescribeConfigsResourceResult config : result.configs()) {
                entries.add(new ConfigEntry(config.name(), config.value(),
                        ConfigEntry.Source.forId(config.configSource()), config.readOnly(), config.isSensitive()));
            }
        }
        entries.sort(Comparator.comparing(ConfigEntry::name));
        return entries;
    }

    void alter(ConfigResource resource, List<AlterConfigOp> ops, long deadlineMs) {
        IncrementalAlterConfigsResponse response = (IncrementalAlterConfigsResponse) channel.callAny(
                ApiKey.INCREMENTAL_ALTER_CONFIGS, version -> {
                    AlterConfigsResource target = new AlterConfigsResource()
                            .setResourceType(resource.type().id()).setResourceName(resource.name());
                    for (AlterConfigOp op : ops) {
                        target.configs().add(new AlterableConfig().setName(op.name())
                                .setConfigOperation(op.op().id()).setValue(op.value()));
                    }
                    IncrementalAlterConfigsRequest request = new IncrementalAlterConfigsRequest();
                    request.resources().add(target);
                    return request;
                }, deadlineMs);
        for (IncrementalAlterConfigsResponse.AlterConfigsResourceResponse result : response.responses()) {
            check(resource, Errors.forCode(result.errorCode()), result.errorMessage(), "alter");
        }
    }

    private static void check(ConfigResource resource, Errors error, String message, String verb) {
        if (error == Errors.NONE) {
            return;
        }
        if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION && resource.type() == ConfigResource.Type.TOPIC) {
            throw new UnknownTopicException(resource.name());
        }
        throw new AdminException(error, "cannot " + verb + " the configuration of " + resource + ": "
                + TopicOperations.explain(error, message));
    }
}

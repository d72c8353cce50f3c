package io.tidelog.broker.api;

import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.config.BrokerKeys;
import io.tidelog.broker.config.ConfigEntry;
import io.tidelog.broker.config.ConfigKey;
import io.tidelog.broker.config.ConfigSource;
import io.tidelog.broker.config.TopicConfig;
import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.DescribeConfigsRequest;
import io.tidelog.protocol.message.DescribeConfigsResponse;
import io.tidelog.protocol.message.DescribeConfigsResponse.DescribeConfigsResult;
import io.tidelog.protocol.message.DescribeConfigsResponse.DescribeConfigsResult.DescribeConfigsResourceResult;
import io.tidelog.protocol.types.ProtocolReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DescribeConfigs v1–4 for topics (every topic key with its effective value and source: the
 * topic's override, the broker setting, or the default) and for this broker (its settings,
 * read-only: they come from the properties file). With {@code includeSynonyms} a topic key also
 * lists the broker key its default comes from.
 */
final class DescribeConfigsHandler implements ApiHandler {

    static final byte TOPIC = 2;
    static final byte BROKER = 4;

    private final TopicRegistry registry;
    private final BrokerConfig config;
    private final Map<String, String> topicDocs = TopicConfig.keysWithDocs();

    DescribeConfigsHandler(TopicRegistry registry, BrokerConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @Override
    public void handle(RequestContext context, ProtocolReader body) {
        DescribeConfigsRequest request = DescribeConfigsRequest.read(body, context.apiVersion());
        List<DescribeConfigsResult> results = new ArrayList<>();
        for (DescribeConfigsRequest.DescribeConfigsResource resource : request.resources()) {
            results.add(describe(resource, request.includeSynonyms(), request.includeDocumentation()));
        }
        context.respond(new DescribeConfigsResponse().setResults(results));
    }

    private DescribeConfigsResult describe(DescribeConfigsRequest.DescribeConfigsResource resource, boolean synonyms,
                                           boolean documentation) {
        DescribeConfigsResult result = new DescribeConfigsResult()
                .setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName());
        Set<String> keys = resource.configurationKeys() == null ? null : new HashSet<>(resource.configurationKeys());
        if (resource.resourceType() == TOPIC) {
            TopicImage topic = registry.image().topic(resource.resourceName());
            if (topic == null) {
                return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setErrorMessage("Topic '" + resource.resourceName() + "' does not exist.");
            }
            for (ConfigEntry entry : TopicConfig.of(config, topic.configs()).entries()) {
                if (keys == null || keys.contains(entry.name())) {
                    result.configs().add(topicEntry(entry, synonyms, documentation));
                }
            }
            return result.setErrorCode(Errors.NONE.code());
        }
        if (resource.resourceType() == BROKER) {
            String name = resource.resourceName();
            if (!name.isEmpty() && !name.equals(Integer.toString(config.nodeId()))) {
                return result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("This is broker " + config.nodeId() + ", not " + name);
            }
            for (ConfigEntry entry : config.entries()) {
                if (keys == null || keys.contains(entry.name())) {
                    result.configs().add(brokerEntry(entry, synonyms, documentation));
                }
            }
            return result.setErrorCode(Errors.NONE.code());
        }
        return result.setErrorCode(Errors.INVALID_REQUEST.code())
                .setErrorMessage("Resource type " + resource.resourceType() + " is not supported");
    }

    private DescribeConfigsResourceResult topicEntry(ConfigEntry entry, boolean synonyms, boolean documentation) {
        DescribeConfigsResourceResult out = new DescribeConfigsResourceResult()
                .setName(entry.name()).setValue(entry.value()).setReadOnly(false)
                .setConfigSource(entry.source().id()).setIsSensitive(false);
        if (documentation) {
            out.setDocumentation(topicDocs.get(entry.name()));
        }
        if (synonyms) {
            if (entry.source() == ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                out.synonyms().add(synonym(entry.name(), entry.value(), ConfigSource.DYNAMIC_TOPIC_CONFIG));
            }
            String brokerKey = TopicConfig.brokerDefaultKey(entry.name());
            String brokerValue = config.effectiveValues().get(brokerKey);
            out.synonyms().add(synonym(brokerKey, brokerValue, config.isSet(brokerKey)
                    ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG));
        }
        return out;
    }

    private DescribeConfigsResourceResult brokerEntry(ConfigEntry entry, boolean synonyms, boolean documentation) {
        DescribeConfigsResourceResult out = new DescribeConfigsResourceResult()
                .setName(entry.name()).setValue(entry.value()).setReadOnly(true)
                .setConfigSource(entry.source().id()).setIsSensitive(false);
        if (documentation) {
            ConfigKey<?> key = BrokerKeys.ALL.get(entry.name());
            out.setDocumentation(key == null ? null : key.doc());
        }
        if (synonyms) {
            out.synonyms().add(synonym(entry.name(), entry.value(), entry.source()));
        }
        return out;
    }

    private static DescribeConfigsResourceResult.DescribeConfigsSynonym synonym(String name, String value,
                                                                               ConfigSource source) {
        return new DescribeConfigsResourceResult.DescribeConfigsSynonym().setName(name).setValue(value)
                .setSource(source.id());
    }
}

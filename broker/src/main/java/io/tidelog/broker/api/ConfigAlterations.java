package io.tidelog.broker.api;

import io.tidelog.broker.config.BrokerConfig;
import io.tidelog.broker.config.ConfigException;
import io.tidelog.broker.config.TopicConfig;
import io.tidelog.broker.metadata.TopicImage;
import io.tidelog.broker.metadata.TopicRegistry;
import io.tidelog.protocol.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work behind AlterConfigs and IncrementalAlterConfigs, shared by both handlers: per resource,
 * compute a topic's new overrides, validate them exactly as CreateTopics does ({@link TopicConfig}),
 * and unless {@code validateOnly} store them through the {@link TopicRegistry} (topics.properties,
 * replaced atomically; the registry's listeners then apply them to the live partitions).
 *
 * <p>Broker resources are refused with INVALID_REQUEST, as Kafka refuses static broker configs:
 * a Tidelog broker reads its settings only from its properties file. Runs on the control thread
 * (storing fsyncs).
 */
final class ConfigAlterations {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigAlterations.class);

    static final byte TOPIC = 2;
    static final byte BROKER = 4;

    /** IncrementalAlterConfigs operations (AlterConfigs' entries are all SET). */
    static final byte SET = 0;
    static final byte DELETE = 1;
    static final byte APPEND = 2;
    static final byte SUBTRACT = 3;

    /** One requested change of one key. */
    record Change(String name, byte operation, String value) {
    }

    /** One resource of a request, in the handlers' neutral form. */
    record Resource(byte type, String name, List<Change> changes) {
    }

    /** How one resource went. */
    record Outcome(Errors error, String message) {
        static final Outcome OK = new Outcome(Errors.NONE, null);
    }

    private final TopicRegistry registry;
    private final BrokerConfig config;

    ConfigAlterations(TopicRegistry registry, BrokerConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /**
     * One outcome per resource, in order.
     *
     * @param incremental true: changes apply over the topic's current overrides; false
     *                    (AlterConfigs): the given keys replace every override
     */
    List<Outcome> alter(List<Resource> resources, boolean incremental, boolean validateOnly) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (Resource resource : resources) {
            if (!seen.add(resource.type() + "/" + resource.name())) {
                duplicated.add(resource.type() + "/" + resource.name());
            }
        }
        List<Outcome> outcomes = new ArrayList<>(resources.size());
        for (Resource resource : resources) {
            outcomes.add(duplicated.contains(resource.type() + "/" + resource.name())
                    ? new Outcome(Errors.INVALID_REQUEST, "Each resource must appear at most once in a request")
                    : alterOne(resource, incremental, validateOnly));
        }
        return outcomes;
    }

    private Outcome alterOne(Resource resource, boolean incremental, boolean validateOnly) {
        if (resource.type() == TOPIC) {
            return alterTopic(resource, incremental, validateOnly);
        }
        if (resource.type() == BROKER) {
            return refuseBroker(resource);
        }
        return new Outcome(Errors.INVALID_REQUEST, "Altering configs of resource type " + resource.type()
                + " is not supported; Tidelog alters topic configs (resource type " + TOPIC + ")");
    }

    private Outcome refuseBroker(Resource resource) {
        String name = resource.name();
        if (!name.isEmpty() && !name.equals(Integer.toString(config.nodeId()))) {
            return new Outcome(Errors.INVALID_REQUEST, "This is broker " + config.nodeId() + ", not " + name);
        }
        if (resource.changes().isEmpty()) {
            return Outcome.OK;
        }
        Set<String> keys = new LinkedHashSet<>();
        resource.changes().forEach(change -> keys.add(change.name()));
        return new Outcome(Errors.INVALID_REQUEST, "Cannot update these configs dynamically: " + keys
                + " (a Tidelog broker reads its configs from its properties file at startup; change them there "
                + "and restart, or set the topic-level key on each topic)");
    }

    private Outcome alterTopic(Resource resource, boolean incremental, boolean validateOnly) {
        String topic = resource.name();
        TopicImage image = registry.image().topic(topic);
        if (image == null) {
            return new Outcome(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topic + "' does not exist.");
        }
        Map<String, String> overrides;
        try {
            overrides = TopicConfig.validate(newOverrides(image.configs(), resource.changes(), incremental));
            TopicConfig.of(config, overrides);
        } catch (RefusedChange e) {
            return new Outcome(Errors.INVALID_REQUEST, e.getMessage());
        } catch (ConfigException e) {
            return new Outcome(Errors.INVALID_CONFIG, e.getMessage());
        }
        if (validateOnly || overrides.equals(image.configs())) {
            return Outcome.OK;
        }
        try {
            if (registry.replaceConfigs(topic, overrides) != TopicRegistry.Outcome.OK) {
                return new Outcome(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topic + "' does not exist.");
            }
        } catch (Exception e) {
            LOG.error("Storing the configs of topic {} failed", topic, e);
            return new Outcome(Errors.UNKNOWN_SERVER_ERROR, "Storing the configs of topic " + topic + " failed: "
                    + e.getMessage());
        }
        LOG.info("Altered configs of topic {}: overrides now {}", topic, overrides);
        return Outcome.OK;
    }

    /** The overrides after {@code changes}; unknown keys throw {@link ConfigException} naming them. */
    private Map<String, String> newOverrides(Map<String, String> current, List<Change> changes, boolean incremental) {
        Set<String> names = new HashSet<>();
        for (Change change : changes) {
            if (!names.add(change.name())) {
                throw new RefusedChange("Error due to duplicate config keys: " + change.name());
            }
        }
        Map<String, String> next = incremental ? new LinkedHashMap<>(current) : new LinkedHashMap<>();
        for (Change change : changes) {
            String name = change.name();
            TopicConfig.brokerDefaultKey(name); // throws for an unknown key, naming it
            switch (change.operation()) {
                case SET -> next.put(name, required(change));
                case DELETE -> next.remove(name);
                case APPEND, SUBTRACT -> next.put(name, changedList(next, change));
                default -> throw new RefusedChange("Unknown config operation " + change.operation()
                        + " for config key " + name);
            }
        }
        return next;
    }

    /** APPEND or SUBTRACT on a list-valued key, starting from its effective value. */
    private String changedList(Map<String, String> next, Change change) {
        String name = change.name();
        if (!name.equals(TopicConfig.CLEANUP_POLICY)) {
            String verb = change.operation() == APPEND ? "append" : "subtract";
            throw ConfigException.invalidValue(name, String.valueOf(change.value()),
                    "config value " + verb + " is not allowed for config key " + name + " (not a list)");
        }
        Set<String> items = new LinkedHashSet<>(split(TopicConfig.of(config, next).cleanupPolicy()));
        if (change.operation() == APPEND) {
            items.addAll(split(required(change)));
        } else {
            items.removeAll(split(required(change)));
        }
        return String.join(",", items);
    }

    private static List<String> split(String list) {
        List<String> items = new ArrayList<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static String required(Change change) {
        if (change.value() == null) {
            throw new RefusedChange("Null value not supported for config key " + change.name());
        }
        return change.value();
    }

    /** A change the request itself gets wrong (INVALID_REQUEST), as opposed to a bad value (INVALID_CONFIG). */
    private static final class RefusedChange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedChange(String message) {
            super(message, null, false, false);
        }
    }
}

package io.tidelog.broker.metadata;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Persists the topic registry as {@code topics.properties} in the first log dir, replaced
 * atomically on every change ({@link AtomicFiles}).
 *
 * <p>Layout (java.util.Properties, so any name or value is escaped correctly):
 * <pre>
 * format.version=1
 * topic.count=N
 * topic.&lt;i&gt;.name=orders
 * topic.&lt;i&gt;.id=&lt;22-char base64 uuid&gt;
 * topic.&lt;i&gt;.partitions=3
 * topic.&lt;i&gt;.config.&lt;key&gt;=&lt;value&gt;
 * </pre>
 */
public final class TopicStore {

    public static final String FILE_NAME = "topics.properties";
    private static final String FORMAT_VERSION = "1";

    private final Path file;

    public TopicStore(Path metadataDir) {
        this.file = metadataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    public Map<String, TopicImage> load() throws IOException {
        Map<String, TopicImage> topics = new HashMap<>();
        if (!Files.exists(file)) {
            return topics;
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        if (!FORMAT_VERSION.equals(props.getProperty("format.version"))) {
            throw new IOException(file + " has unsupported format.version " + props.getProperty("format.version"));
        }
        int count = Integer.parseInt(required(props, "topic.count"));
        for (int i = 0; i < count; i++) {
            String prefix = "topic." + i + ".";
            String name = required(props, prefix + "name");
            String configPrefix = prefix + "config.";
            Map<String, String> configs = new HashMap<>();
            for (String key : props.stringPropertyNames()) {
                if (key.startsWith(configPrefix)) {
                    configs.put(key.substring(configPrefix.length()), props.getProperty(key));
                }
            }
            topics.put(name, new TopicImage(name, ClusterIds.fromText(required(props, prefix + "id")),
                    Integer.parseInt(required(props, prefix + "partitions")), configs));
        }
        return topics;
    }

    /** Blocking (fsync); call from the control thread only. */
    public void save(Collection<TopicImage> topics) throws IOException {
        Properties props = new Properties();
        props.setProperty("format.version", FORMAT_VERSION);
        props.setProperty("topic.count", Integer.toString(topics.size()));
        int i = 0;
        for (TopicImage topic : topics) {
            String prefix = "topic." + i++ + ".";
            props.setProperty(prefix + "name", topic.name());
            props.setProperty(prefix + "id", ClusterIds.toText(topic.topicId()));
            props.setProperty(prefix + "partitions", Integer.toString(topic.partitionCount()));
            topic.configs().forEach((k, v) -> props.setProperty(prefix + "config." + k, v));
        }
        StringWriter text = new StringWriter();
        props.store(text, "Tidelog topics; written atomically by the broker");
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String required(Properties props, String key) throws IOException {
        String value = props.getProperty(key);
        if (value == null) {
            throw new IOException(file + " is missing " + key);
        }
        return value;
    }
}

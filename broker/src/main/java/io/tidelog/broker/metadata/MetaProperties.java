package io.tidelog.broker.metadata;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The identity written into every log dir: {@code meta.properties} with {@code version},
 * {@code node.id} and {@code cluster.id}.
 *
 * <p>Format-once: the first start writes it to every dir; later starts read it back. A log dir
 * whose {@code node.id} differs from the configured one, or dirs that disagree on the cluster id,
 * are startup errors (they are another broker's data). A dir that has none (newly added) gets one.
 */
public record MetaProperties(int nodeId, String clusterId) {

    public static final String FILE_NAME = "meta.properties";
    private static final String VERSION = "1";

    /** Reads the identity from the dirs, or formats them with a new cluster id. */
    public static MetaProperties loadOrFormat(List<Path> logDirs, int configuredNodeId) throws IOException {
        String clusterId = null;
        for (Path dir : logDirs) {
            Path file = dir.resolve(FILE_NAME);
            if (!Files.exists(file)) {
                continue;
            }
            Properties props = read(file);
            String storedNode = props.getProperty("node.id");
            String storedCluster = props.getProperty("cluster.id");
            if (storedNode == null || storedCluster == null) {
                throw new IOException(file + " is missing node.id or cluster.id; restore it or empty the directory");
            }
            if (!storedNode.trim().equals(Integer.toString(configuredNodeId))) {
                throw new IOException(file + " belongs to node.id=" + storedNode.trim() + " but this broker is node.id="
                        + configuredNodeId + "; fix node.id or point log.dirs at this broker's data");
            }
            if (clusterId != null && !clusterId.equals(storedCluster.trim())) {
                throw new IOException("log dirs belong to different clusters (" + clusterId + " and "
                        + storedCluster.trim() + " in " + file + ")");
            }
            clusterId = storedCluster.trim();
        }
        MetaProperties meta = new MetaProperties(configuredNodeId, clusterId != null ? clusterId : ClusterIds.random());
        for (Path dir : logDirs) {
            if (!Files.exists(dir.resolve(FILE_NAME))) {
                meta.writeTo(dir);
            }
        }
        return meta;
    }

    void writeTo(Path dir) throws IOException {
        Properties props = new Properties();
        props.setProperty("version", VERSION);
        props.setProperty("node.id", Integer.toString(nodeId));
        props.setProperty("cluster.id", clusterId);
        StringWriter text = new StringWriter();
        props.store(text, "Tidelog broker identity; do not edit");
        AtomicFiles.write(dir.resolve(FILE_NAME), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Properties read(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        return props;
    }
}

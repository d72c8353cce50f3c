package io.tidelog.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidelog.broker.RawClient;
import io.tidelog.broker.metadata.TopicStore;
import io.tidelog.protocol.Errors;
import io.tidelog.protocol.message.AlterConfigsRequest;
import io.tidelog.protocol.message.AlterConfigsResponse;
import io.tidelog.protocol.message.IncrementalAlterConfigsRequest;
import io.tidelog.protocol.message.IncrementalAlterConfigsResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic configs changed at runtime through Kafka's own Admin (IncrementalAlterConfigs) and the
 * legacy AlterConfigs: DescribeConfigs shows the change as a dynamic topic config, the live
 * partitions' log settings follow it, and it survives a restart.
 */
class TopicConfigAlterTest {

    private static final String TOPIC = "tuned";
    private static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    @TempDir
    Path dir;
    private TestBroker broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dir);
        admin = newAdmin();
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private Admin newAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + broker.server().boundAddress().getPort()));
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private void alter(String topicName, AlterConfigOp... ops) throws Exception {
        alter(topicName, false, ops);
    }

    private void alter(String topicName, boolean validateOnly, AlterConfigOp... ops) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> changes = Map.of(topic(topicName), List.of(ops));
        admin.incrementalAlterConfigs(changes, new AlterConfigsOptions().validateOnly(validateOnly))
                .all().get(30, TimeUnit.SECONDS);
    }

    private ConfigEntry described(String key) throws Exception {
        Config config = admin.describeConfigs(List.of(topic(TOPIC))).all().get(30, TimeUnit.SECONDS).get(topic(TOPIC));
        return config.get(key);
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private long liveRetentionMs(int partition) {
        return broker.partition(TOPIC, partition).log().config().retentionMs();
    }

    @Test
    void givenATopic_whenRetentionMsIsSet_thenDescribeShowsADynamicTopicConfigAndEveryLivePartitionUsesIt()
            throws Exception {
        alter(TOPIC, set("retention.ms", "3600000"));

        ConfigEntry entry = described("retention.ms");
        assertThat(entry.value()).isEqualTo("3600000");
        assertThat(entry.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(liveRetentionMs(0)).isEqualTo(3_600_000L);
        assertThat(liveRetentionMs(1)).isEqualTo(3_600_000L);
    }

    @Test
    void givenAnAlteredTopic_whenTheBrokerRestarts_thenTheAlteredValueIsStillInEffect() throws Exception {
        alter(TOPIC, set("retention.ms", "3600000"), set("segment.bytes", "2097152"));
        admin.close();

        broker.restart();
        admin = newAdmin();

        assertThat(described("retention.ms").value()).isEqualTo("3600000");
        assertThat(described("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(described("segment.bytes").value()).isEqualTo("2097152");
        assertThat(liveRetentionMs(1)).isEqualTo(3_600_000L);
        assertThat(broker.partition(TOPIC, 0).log().config().segmentBytes()).isEqualTo(2_097_152);
        assertThat(Files.readString(dir.resolve(TopicStore.FILE_NAME))).contains("config.retention.ms=3600000");
    }

    @Test
    void givenAnOverride_whenDeleted_thenTheKeyRevertsToTheBrokerDefault() throws Exception {
        alter(TOPIC, set("retention.ms", "3600000"));

        alter(TOPIC, new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE));

        ConfigEntry entry = described("retention.ms");
        assertThat(entry.value()).isEqualTo(Long.toString(DEFAULT_RETENTION_MS));
        assertThat(entry.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(liveRetentionMs(0)).isEqualTo(DEFAULT_RETENTION_MS);
    }

    @Test
    void givenAnUnknownKey_whenAltering_thenInvalidConfigNamesTheKeyAndNothingChanges() throws Exception {
        assertThatThrownBy(() -> alter(TOPIC, set("retention.mss", "1"), set("retention.ms", "5")))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.mss");

        assertThat(described("retention.ms").value()).isEqualTo(Long.toString(DEFAULT_RETENTION_MS));
    }

    @Test
    void givenABadValue_whenAltering_thenInvalidConfigNamesTheKeyAndTheValue() throws Exception {
        assertThatThrownBy(() -> alter(TOPIC, set("retention.ms", "soon")))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.ms").hasMessageContaining("soon");

        assertThat(described("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void givenValidateOnly_whenAValidChangeIsSent_thenItSucceedsAndNothingChanges() throws Exception {
        alter(TOPIC, true, set("retention.ms", "3600000"));

        assertThat(described("retention.ms").value()).isEqualTo(Long.toString(DEFAULT_RETENTION_MS));
        assertThat(liveRetentionMs(0)).isEqualTo(DEFAULT_RETENTION_MS);
    }

    @Test
    void givenCleanupPolicy_whenCompactIsAppendedAndDeleteSubtracted_thenTheListChangesAndNonListKeysRefuseIt()
            throws Exception {
        alter(TOPIC, new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND));
        assertThat(described("cleanup.policy").value()).isEqualTo("compact,delete");

        alter(TOPIC, new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SUBTRACT));
        assertThat(described("cleanup.policy").value()).isEqualTo("compact");

        assertThatThrownBy(() -> alter(TOPIC,
                new AlterConfigOp(new ConfigEntry("retention.ms", "5"), AlterConfigOp.OpType.APPEND)))
                .cause().isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.ms");
    }

    @Test
    void givenAnUnknownTopic_whenAltering_thenUnknownTopicOrPartition() {
        assertThatThrownBy(() -> alter("nope", set("retention.ms", "5")))
                .cause().isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void givenTheBrokerResource_whenAnyKeyIsAltered_thenInvalidRequestBecauseBrokerConfigsAreStatic() {
        ConfigResource self = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Map<ConfigResource, Collection<AlterConfigOp>> changes =
                Map.of(self, List.of(set("log.retention.ms", "5")));

        assertThatThrownBy(() -> admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Cannot update these configs dynamically").hasMessageContaining("log.retention.ms");
    }

    @Test
    void givenLegacyAlterConfigs_whenTheGivenKeysAreSent_thenTheyReplaceEveryOverride() throws Exception {
        alter(TOPIC, set("retention.ms", "3600000"));
        AlterConfigsRequest.AlterConfigsResource resource = new AlterConfigsRequest.AlterConfigsResource()
                .setResourceType((byte) 2).setResourceName(TOPIC);
        resource.configs().add(new AlterConfigsRequest.AlterConfigsResource.AlterableConfig()
                .setName("segment.bytes").setValue("2097152"));
        AlterConfigsRequest request = new AlterConfigsRequest();
        request.resources().add(resource);

        AlterConfigsResponse response;
        try (RawClient client = broker.connect()) {
            response = client.call(request, (short) 2, AlterConfigsResponse::read);
        }

        assertThat(response.responses()).singleElement()
                .satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.NONE.code()));
        assertThat(described("segment.bytes").value()).isEqualTo("2097152");
        assertThat(described("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void givenTheSameKeyTwiceInOneResource_whenAltering_thenInvalidRequestAndNothingChanges() throws Exception {
        IncrementalAlterConfigsRequest.AlterConfigsResource resource =
                new IncrementalAlterConfigsRequest.AlterConfigsResource().setResourceType((byte) 2)
                        .setResourceName(TOPIC);
        for (String value : List.of("1000", "2000")) {
            resource.configs().add(new IncrementalAlterConfigsRequest.AlterConfigsResource.AlterableConfig()
                    .setName("retention.ms").setConfigOperation((byte) 0).setValue(value));
        }
        IncrementalAlterConfigsRequest request = new IncrementalAlterConfigsRequest();
        request.resources().add(resource);

        IncrementalAlterConfigsResponse response;
        try (RawClient client = broker.connect()) {
            response = client.call(request, (short) 1, IncrementalAlterConfigsResponse::read);
        }

        assertThat(response.responses().get(0).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(response.responses().get(0).errorMessage()).contains("retention.ms");
        assertThat(described("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }
}

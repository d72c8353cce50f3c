package io.tidelog.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStoreTest {

    @TempDir
    Path dir;

    @Test
    void givenEmptyDirs_whenFormatted_thenEveryDirGetsTheSameClusterIdAndLaterStartsReadItBack() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));

        MetaProperties first = MetaProperties.loadOrFormat(List.of(a, b), 7);
        MetaProperties second = MetaProperties.loadOrFormat(List.of(a, b), 7);

        assertThat(first.clusterId()).hasSize(22);
        assertThat(second).isEqualTo(first);
        assertThat(a.resolve(MetaProperties.FILE_NAME)).exists();
        assertThat(b.resolve(MetaProperties.FILE_NAME)).exists();
    }

    @Test
    void givenADirFormattedForAnotherNode_whenStarting_thenStartupFailsNamingBothNodeIds() throws IOException {
        MetaProperties.loadOrFormat(List.of(dir), 1);

        assertThatThrownBy(() -> MetaProperties.loadOrFormat(List.of(dir), 2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("node.id=1")
                .hasMessageContaining("node.id=2");
    }

    @Test
    void givenCreatedTopicsWithConfigs_whenTheRegistryIsReopened_thenTopicsIdsAndConfigsSurvive() throws IOException {
        MetaProperties meta = MetaProperties.loadOrFormat(List.of(dir), 1);
        TopicRegistry registry = TopicRegistry.open(new TopicStore(dir), meta, "127.0.0.1", 9092);
        registry.create("orders", 3, Map.of("retention.ms", "1000", "cleanup.policy", "delete"));
        registry.create("odd name=with\\chars", 1, Map.of());
        registry.increasePartitions("orders", 5);

        TopicRegistry reopened = TopicRegistry.open(new TopicStore(dir), meta, "127.0.0.1", 9092);

        TopicImage orders = reopened.image().topic("orders");
        assertThat(orders.partitionCount()).isEqualTo(5);
        assertThat(orders.configs()).containsEntry("retention.ms", "1000").containsEntry("cleanup.policy", "delete");
        assertThat(orders.topicId()).isEqualTo(registry.image().topic("orders").topicId());
        assertThat(reopened.image().topic("odd name=with\\chars")).isNotNull();
    }

    @Test
    void givenATopic_whenCreatingItAgainOrACollidingName_thenTheRegistryRefusesAndKeepsTheOriginal() throws IOException {
        TopicRegistry registry = TopicRegistry.open(new TopicStore(dir), new MetaProperties(1, "c"), "h", 1);
        registry.create("a.b", 1, Map.of());

        assertThat(registry.create("a.b", 2, Map.of())).isEqualTo(TopicRegistry.Outcome.ALREADY_EXISTS);
        assertThat(registry.create("a_b", 2, Map.of())).isEqualTo(TopicRegistry.Outcome.COLLIDES);
        assertThat(registry.image().topic("a.b").partitionCount()).isEqualTo(1);
    }

    @Test
    void givenADeletedTopic_whenReopened_thenItIsGoneAndListenersSawTheChangeInOrder() throws IOException {
        TopicRegistry registry = TopicRegistry.open(new TopicStore(dir), new MetaProperties(1, "c"), "h", 1);
        List<Set<String>> seen = new ArrayList<>();
        registry.addListener((previous, next) -> seen.add(new HashSet<>(next.topics().keySet())));
        registry.create("t", 1, Map.of());
        registry.delete("t");

        assertThat(seen).containsExactly(Set.of("t"), Set.of());
        assertThat(new TopicStore(dir).load()).isEmpty();
        assertThat(registry.delete("t")).isEqualTo(TopicRegistry.Outcome.NOT_FOUND);
    }

    @Test
    void givenKafkaTopicNameRules_whenValidating_thenOnlyLegalNamesPass() {
        assertThat(TopicNames.isValid("orders-v2_x.y")).isTrue();
        assertThat(TopicNames.isValid("x".repeat(249))).isTrue();
        assertThat(TopicNames.isValid("x".repeat(250))).isFalse();
        assertThat(TopicNames.isValid(".")).isFalse();
        assertThat(TopicNames.isValid("..")).isFalse();
        assertThat(TopicNames.isValid("")).isFalse();
        assertThat(TopicNames.isValid("has space")).isFalse();
        assertThat(TopicNames.isValid("ümlaut")).isFalse();
    }

    @Test
    void givenHandedOutProducerIds_whenTheManagerIsReopened_thenNoIdIsHandedOutTwice() throws IOException {
        ProducerIdManager first = ProducerIdManager.open(dir);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 1500; i++) {
            assertThat(ids.add(first.nextProducerId())).isTrue();
        }
        ProducerIdManager second = ProducerIdManager.open(dir);
        for (int i = 0; i < 10; i++) {
            assertThat(ids.add(second.nextProducerId())).as("id reused after restart").isTrue();
        }
    }

    @Test
    void givenARandomUuid_whenWrittenAsText_thenItReadsBackEqual() {
        var uuid = ClusterIds.randomUuid();
        assertThat(ClusterIds.fromText(ClusterIds.toText(uuid))).isEqualTo(uuid);
    }
}

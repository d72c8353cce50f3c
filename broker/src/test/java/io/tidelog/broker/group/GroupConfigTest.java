package io.tidelog.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidelog.broker.config.BrokerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The coordinator reads its keys from the broker configuration, with Kafka's defaults otherwise. */
class GroupConfigTest {

    @Test
    void givenNoSettingsThenKafkasDefaultsApplyExceptTenOffsetsPartitions() {
        GroupConfig config = GroupConfig.from(BrokerConfig.defaults());
        assertThat(config).isEqualTo(GroupConfig.defaults());
        assertThat(config.offsetsTopicNumPartitions()).isEqualTo(10);
        assertThat(config.minSessionTimeoutMs()).isEqualTo(6_000);
        assertThat(config.maxSessionTimeoutMs()).isEqualTo(1_800_000);
        assertThat(config.initialRebalanceDelayMs()).isEqualTo(3_000);
        assertThat(config.offsetsRetentionMs()).isEqualTo(7L * 24 * 60 * 60 * 1000);
    }

    @Test
    void givenOperatorSettingsThenTheCoordinatorUsesThem() {
        GroupConfig config = GroupConfig.from(BrokerConfig.from(Map.of(
                "offsets.topic.num.partitions", "4",
                "group.min.session.timeout.ms", "1000",
                "group.max.session.timeout.ms", "20000",
                "group.max.size", "7",
                "group.initial.rebalance.delay.ms", "0",
                "offsets.retention.minutes", "2",
                "offsets.retention.check.interval.ms", "500",
                "offset.metadata.max.bytes", "10",
                "offsets.commit.timeout.ms", "1234")));
        assertThat(config.offsetsTopicNumPartitions()).isEqualTo(4);
        assertThat(config.minSessionTimeoutMs()).isEqualTo(1_000);
        assertThat(config.maxSessionTimeoutMs()).isEqualTo(20_000);
        assertThat(config.maxSize()).isEqualTo(7);
        assertThat(config.initialRebalanceDelayMs()).isZero();
        assertThat(config.offsetsRetentionMs()).isEqualTo(120_000L);
        assertThat(config.offsetsRetentionCheckIntervalMs()).isEqualTo(500L);
        assertThat(config.offsetMetadataMaxBytes()).isEqualTo(10);
        assertThat(config.offsetsCommitTimeoutMs()).isEqualTo(1234);
    }

    @Test
    void groupsArePlacedLikeKafkaPlacesThem() {
        assertThat(GroupCoordinator.partitionFor("payments", 50))
                .isEqualTo(Math.abs("payments".hashCode()) % 50);
        String minValueHash = "polygenelubricants"; // hashCode() == Integer.MIN_VALUE
        assertThat(minValueHash.hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(GroupCoordinator.partitionFor(minValueHash, 10)).isZero();
    }
}

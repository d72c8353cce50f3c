package io.tidelog.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigTest {

    @Test
    void zeroConfigurationIsASingleNodeBrokerOnLoopback9092WithDataInDotData() {
        BrokerConfig config = BrokerConfig.defaults();

        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.listener()).isEqualTo(new Endpoint("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(config.advertisedListener()).isEqualTo(config.listener());
        assertThat(config.logDirs()).containsExactly(Paths.get("data").toAbsolutePath().normalize());
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.defaultReplicationFactor()).isEqualTo((short) 1);
        assertThat(config.minInsyncReplicas()).isEqualTo(1);
        assertThat(config.autoCreateTopicsEnable()).isTrue();
    }

    @Test
    void defaultsMatchKafkasForSharedKeys() {
        BrokerConfig config = BrokerConfig.defaults();

        assertThat(config.logSegmentBytes()).isEqualTo(1 << 30);
        assertThat(config.logRollMs()).isEqualTo(168L * 3_600_000L);
        assertThat(config.logRetentionMs()).isEqualTo(168L * 3_600_000L);
        assertThat(config.logRetentionBytes()).isEqualTo(-1L);
        assertThat(config.logRetentionCheckIntervalMs()).isEqualTo(300_000L);
        assertThat(config.logIndexIntervalBytes()).isEqualTo(4096);
        assertThat(config.logIndexSizeMaxBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.logFlushIntervalMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.logFlushIntervalMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.messageMaxBytes()).isEqualTo(1048588);
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104857600);
        assertThat(config.replicaLagTimeMaxMs()).isEqualTo(30_000L);
        assertThat(config.groupInitialRebalanceDelayMs()).isEqualTo(3000);
        assertThat(config.offsetsRetentionMinutes()).isEqualTo(10080);
        assertThat(config.logCleanupPolicy()).isEqualTo("delete");
        assertThat(config.logMessageTimestampType()).isEqualTo("CreateTime");
        assertThat(config.metricsPort()).isEqualTo(-1);
    }

    @Test
    void threadPoolsAreSizedFromTheProcessorsUnlessSet() {
        int processors = Runtime.getRuntime().availableProcessors();

        assertThat(BrokerConfig.defaults().numNetworkThreads()).isEqualTo(processors);
        assertThat(BrokerConfig.defaults().numIoThreads()).isEqualTo(processors);
        assertThat(BrokerConfig.from(Map.of("num.io.threads", "8", "num.network.threads", "3")).numIoThreads())
                .isEqualTo(8);
    }

    @Test
    void anUnknownKeyIsRejectedNamingItAndTheClosestKnownKey() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("log.dirz", "/tmp/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Unknown configuration key 'log.dirz' (did you mean 'log.dirs'?)")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("log.dirz");
    }

    @Test
    void anUnknownKeyFarFromAnyKnownKeyGetsNoSuggestion() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("zookeeper.connect", "localhost:2181")))
                .hasMessage("Unknown configuration key 'zookeeper.connect'");
    }

    @Test
    void brokerIdPointsToItsNewName() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("broker.id", "2")))
                .hasMessageContaining("'broker.id'").hasMessageContaining("did you mean 'node.id'");
    }

    @Test
    void aMalformedNumberIsRejectedNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("num.partitions", "three")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'three' for configuration key 'num.partitions': must be an integer");
    }

    @Test
    void anOutOfRangeValueIsRejectedWithTheRule() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("num.partitions", "0")))
                .hasMessage("Invalid value '0' for configuration key 'num.partitions': must be at least 1");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("log.segment.bytes", "100")))
                .hasMessageContaining("'log.segment.bytes'").hasMessageContaining("at least 1024");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("socket.request.max.bytes", "99999999999")))
                .hasMessageContaining("'socket.request.max.bytes'");
    }

    @Test
    void aBooleanMustBeSpelledTrueOrFalse() {
        assertThat(BrokerConfig.from(Map.of("auto.create.topics.enable", "FALSE")).autoCreateTopicsEnable()).isFalse();
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("auto.create.topics.enable", "yes")))
                .hasMessage("Invalid value 'yes' for configuration key 'auto.create.topics.enable': must be true or false");
    }

    @Test
    void enumeratedValuesAreCheckedExactly() {
        assertThat(BrokerConfig.from(Map.of("log.segment.backend", "chronicle")).logSegmentBackend()).isEqualTo("chronicle");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("log.segment.backend", "mmap")))
                .hasMessageContaining("'log.segment.backend'").hasMessageContaining("nio, chronicle");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("log.message.timestamp.type", "createtime")))
                .hasMessageContaining("'log.message.timestamp.type'");
    }

    @Test
    void listenersAcceptPortZeroAndTheAdvertisedListenerThenTakesTheBoundPort() {
        BrokerConfig config = BrokerConfig.from(Map.of("listeners", "PLAINTEXT://127.0.0.1:0"));

        assertThat(config.listener().port()).isZero();
        assertThat(config.advertisedListener(41234)).isEqualTo(new Endpoint("PLAINTEXT", "127.0.0.1", 41234));
    }

    @Test
    void anExplicitAdvertisedListenerIsKept() {
        BrokerConfig config = BrokerConfig.from(Map.of(
                "listeners", "PLAINTEXT://0.0.0.0:9093", "advertised.listeners", "PLAINTEXT://broker1.example:9093"));

        assertThat(config.listener().bindsAllInterfaces()).isTrue();
        assertThat(config.advertisedListener(9093)).isEqualTo(new Endpoint("PLAINTEXT", "broker1.example", 9093));
    }

    @Test
    void aWildcardListenerWithoutAdvertisedListenersIsRejected() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "PLAINTEXT://0.0.0.0:9092")))
                .hasMessageContaining("'advertised.listeners'");
    }

    @Test
    void malformedListenersAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "127.0.0.1:9092")))
                .hasMessageContaining("'listeners'").hasMessageContaining("PLAINTEXT://host:port");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "SSL://127.0.0.1:9092")))
                .hasMessageContaining("only PLAINTEXT");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "PLAINTEXT://127.0.0.1:70000")))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "PLAINTEXT://a:1,PLAINTEXT://b:2")))
                .hasMessageContaining("appears twice");
    }

    @Test
    void ipv6ListenersAreWrittenInBrackets() {
        Endpoint endpoint = BrokerConfig.from(Map.of("listeners", "PLAINTEXT://[::1]:9092")).listener();

        assertThat(endpoint.host()).isEqualTo("::1");
        assertThat(endpoint).hasToString("PLAINTEXT://[::1]:9092");
    }

    @Test
    void logDirsWinsOverLogDirAndRelativePathsResolveAgainstTheWorkingDirectory(@TempDir Path dir) {
        BrokerConfig config = BrokerConfig.from(Map.of("log.dir", "ignored", "log.dirs", dir + "/a, " + dir + "/b"));

        assertThat(config.logDirs()).containsExactly(dir.resolve("a"), dir.resolve("b"));
        assertThat(BrokerConfig.from(Map.of("log.dir", "x/../y")).logDirs())
                .containsExactly(Paths.get("y").toAbsolutePath().normalize());
    }

    @Test
    void theSameLogDirTwiceIsRejected() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("log.dirs", "/tmp/a,/tmp/a/")))
                .hasMessageContaining("'log.dirs'").hasMessageContaining("twice");
    }

    @Test
    void retentionMsWinsOverMinutesWhichWinsOverHours() {
        assertThat(BrokerConfig.from(Map.of("log.retention.hours", "1")).logRetentionMs()).isEqualTo(3_600_000L);
        assertThat(BrokerConfig.from(Map.of("log.retention.hours", "1", "log.retention.minutes", "2"))
                .logRetentionMs()).isEqualTo(120_000L);
        assertThat(BrokerConfig.from(Map.of("log.retention.minutes", "2", "log.retention.ms", "5"))
                .logRetentionMs()).isEqualTo(5L);
        assertThat(BrokerConfig.from(Map.of("log.retention.hours", "-1")).logRetentionMs()).isEqualTo(-1L);
    }

    @Test
    void rollMsWinsOverRollHoursAndFlushMsFallsBackToTheSchedulerInterval() {
        assertThat(BrokerConfig.from(Map.of("log.roll.hours", "2")).logRollMs()).isEqualTo(7_200_000L);
        assertThat(BrokerConfig.from(Map.of("log.roll.hours", "2", "log.roll.ms", "10")).logRollMs()).isEqualTo(10L);
        assertThat(BrokerConfig.from(Map.of("log.flush.scheduler.interval.ms", "1000")).logFlushIntervalMs())
                .isEqualTo(1000L);
        assertThat(BrokerConfig.from(Map.of("log.flush.scheduler.interval.ms", "1000", "log.flush.interval.ms", "5"))
                .logFlushIntervalMs()).isEqualTo(5L);
    }

    @Test
    void valuesAreTrimmed() {
        assertThat(BrokerConfig.from(Map.of("num.partitions", " 3 ")).numPartitions()).isEqualTo(3);
    }

    @Test
    void overridesWinOverThePropertiesFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "# a comment\nnum.partitions=3\nnode.id = 7\n");

        BrokerConfig config = BrokerConfig.load(file,
                BrokerConfig.parseOverrides(List.of("num.partitions=5", "log.dir=" + dir.resolve("d"))));

        assertThat(config.numPartitions()).isEqualTo(5);
        assertThat(config.nodeId()).isEqualTo(7);
        assertThat(config.logDirs()).containsExactly(dir.resolve("d"));
    }

    @Test
    void anUnknownKeyInThePropertiesFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "num.partition=3\n");

        assertThatThrownBy(() -> BrokerConfig.load(file, Map.of()))
                .hasMessage("Unknown configuration key 'num.partition' (did you mean 'num.partitions'?)");
    }

    @Test
    void aMissingPropertiesFileIsAConfigError(@TempDir Path dir) {
        assertThatThrownBy(() -> BrokerConfig.load(dir.resolve("nope.properties"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.properties").hasMessageContaining("does not exist");
    }

    @Test
    void anOverrideWithoutAnEqualsSignIsRejected() {
        assertThatThrownBy(() -> BrokerConfig.parseOverrides(List.of("num.partitions")))
                .isInstanceOf(ConfigException.class).hasMessage("Invalid override 'num.partitions': expected key=value");
        assertThat(BrokerConfig.parseOverrides(List.of("a=1", "a=2=3"))).containsEntry("a", "2=3");
    }

    @Test
    void entriesReportEveryKeyWithItsSource() {
        BrokerConfig config = BrokerConfig.from(Map.of("num.partitions", "4"));

        assertThat(config.entries()).extracting(ConfigEntry::name).containsExactlyElementsOf(BrokerKeys.ALL.keySet());
        assertThat(config.entries()).contains(
                new ConfigEntry("num.partitions", "4", ConfigSource.STATIC_BROKER_CONFIG),
                new ConfigEntry("log.segment.bytes", "1073741824", ConfigSource.DEFAULT_CONFIG),
                new ConfigEntry("listeners", "PLAINTEXT://127.0.0.1:9092", ConfigSource.DEFAULT_CONFIG));
        assertThat(config.effectiveValues()).doesNotContainValue(null);
    }

    @Test
    void keysWithoutATypedAccessorAreValidatedAndReportedWithTheirDefaults() {
        assertThat(BrokerConfig.defaults().effectiveValues())
                .containsEntry("offsets.topic.num.partitions", "10")
                .containsEntry("group.min.session.timeout.ms", "6000")
                .containsEntry("group.max.size", String.valueOf(Integer.MAX_VALUE));
        assertThat(BrokerConfig.from(Map.of("offsets.topic.num.partitions", "3")).effectiveValues())
                .containsEntry("offsets.topic.num.partitions", "3");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("offsets.topic.num.partitions", "0")))
                .hasMessage("Invalid value '0' for configuration key 'offsets.topic.num.partitions': must be at least 1");
    }

    @Test
    void aMaximumSessionTimeoutBelowTheMinimumIsRejected() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("group.min.session.timeout.ms", "10000",
                "group.max.session.timeout.ms", "5000")))
                .hasMessageContaining("'group.max.session.timeout.ms'").hasMessageContaining("group.min.session.timeout.ms");
    }
}

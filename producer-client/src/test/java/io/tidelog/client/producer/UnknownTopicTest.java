package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker that does not create topics on demand. */
class UnknownTopicTest {

    @TempDir
    Path dir;

    @Test
    void givenAutoCreateOff_whenSendingToAMissingTopic_thenTheFutureFailsAfterMaxBlockMsSayingItDoesNotExist()
            throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, Map.of("auto.create.topics.enable", "false"));
             Producer<String, String> producer = new TidelogProducer<>(Map.of("bootstrap.servers", cluster.bootstrap(),
                     "max.block.ms", 3000), Serializers.string(), Serializers.string())) {
            CompletableFuture<RecordMetadata> future = producer.send(new ProducerRecord<>("missing", "v"));
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ProducerTimeoutException.class)
                    .hasMessageContaining("'missing'")
                    .hasMessageContaining("does not exist")
                    .hasMessageContaining("max.block.ms=3000");
        }
    }
}

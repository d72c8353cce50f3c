package io.tidelog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Our murmur2 and partition choice against Kafka's Utils, key by key. */
class Murmur2Test {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());

    @Test
    void givenRandomKeysOfEveryLengthUpTo64_whenHashed_thenTheHashEqualsKafkasMurmur2() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = new byte[random.nextInt(65)];
            random.nextBytes(key);
            assertThat(Murmur2.hash(key)).as("murmur2 of %d random bytes (seed %d, iteration %d)", key.length, SEED, i)
                    .isEqualTo(Utils.murmur2(key));
        }
    }

    @Test
    void givenRandomKeysAndPartitionCounts_whenPartitioned_thenThePartitionEqualsKafkasDefaultChoice() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = ("key-" + random.nextLong()).getBytes(StandardCharsets.UTF_8);
            int partitions = 1 + random.nextInt(200);
            assertThat(Murmur2.partitionForKey(key, partitions))
                    .as("partition of %s among %d (seed %d)", new String(key, StandardCharsets.UTF_8), partitions, SEED)
                    .isEqualTo(Utils.toPositive(Utils.murmur2(key)) % partitions);
        }
    }

    @Test
    void givenTheEmptyKey_whenHashed_thenItEqualsKafkas() {
        assertThat(Murmur2.hash(new byte[0])).isEqualTo(Utils.murmur2(new byte[0]));
    }
}

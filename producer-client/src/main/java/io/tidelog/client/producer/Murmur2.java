package io.tidelog.client.producer;

/**
 * MurmurHash2, 32-bit, as the Kafka default partitioner uses it: seed 0x9747b28c, mix constant
 * 0x5bd1e995, shift 24, little-endian 4-byte words, then the 1-3 tail bytes and the final
 * avalanche (shifts 13 and 15). Written from the algorithm's description; parity with Kafka is
 * tested.
 */
public final class Murmur2 {

    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Murmur2() {
    }

    public static int hash(byte[] data) {
        int length = data.length;
        int h = SEED ^ length;
        int words = length >>> 2;
        for (int i = 0; i < words; i++) {
            int at = i << 2;
            int k = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16
                    | (data[at + 3] & 0xff) << 24;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int tail = words << 2;
        switch (length & 3) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /** The partition Kafka's default partitioner picks for a key: positive(murmur2) % count. */
    public static int partitionForKey(byte[] keyBytes, int numPartitions) {
        return (hash(keyBytes) & 0x7fffffff) % numPartitions;
    }
}

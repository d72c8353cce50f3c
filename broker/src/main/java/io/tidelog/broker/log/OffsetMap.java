package io.tidelog.broker.log;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cleaner's dedupe map: record key → offset of its latest record, in a fixed amount of
 * memory ({@code log.cleaner.dedupe.buffer.size}). Keys are stored as their 128-bit MD5 digest,
 * so two keys collide with negligible probability and the map's size does not depend on key
 * sizes.
 *
 * <p>Layout: open addressing with linear probing over three parallel long arrays (digest high,
 * digest low, offset; offset -1 = empty slot), 24 bytes a slot. The map refuses new keys once
 * {@link #LOAD_FACTOR} of its slots are used ({@link #put} returns false), so probes stay short.
 * Single-threaded: one map per cleaner thread, {@link #clear()}ed before each log.
 */
final class OffsetMap {

    static final int BYTES_PER_SLOT = 24;
    static final double LOAD_FACTOR = 0.9;

    private final long[] high;
    private final long[] low;
    private final long[] offsets;
    private final int maxEntries;
    private final MessageDigest md5;
    private final byte[] digest = new byte[16];
    private int entries;
    private long latestOffset = -1;

    OffsetMap(long memoryBytes) {
        int slots = (int) Math.max(16, Math.min(Integer.MAX_VALUE - 8, memoryBytes / BYTES_PER_SLOT));
        high = new long[slots];
        low = new long[slots];
        offsets = new long[slots];
        maxEntries = (int) (slots * LOAD_FACTOR);
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5 (every Java SE platform must)", e);
        }
        clear();
    }

    void clear() {
        java.util.Arrays.fill(offsets, -1L);
        entries = 0;
        latestOffset = -1;
    }

    /**
     * Records that the key in {@code key} (position..limit, consumed) has a record at
     * {@code offset}; a later offset replaces an earlier one. Returns false, recording nothing,
     * if the key is new and the map is full.
     */
    boolean put(ByteBuffer key, long offset) {
        hash(key);
        int slot = find();
        if (offsets[slot] < 0) {
            if (entries >= maxEntries) {
                return false;
            }
            entries++;
            high[slot] = digestHigh();
            low[slot] = digestLow();
        }
        offsets[slot] = Math.max(offsets[slot], offset);
        latestOffset = Math.max(latestOffset, offset);
        return true;
    }

    /** The latest offset recorded for the key in {@code key} (consumed), or -1. */
    long get(ByteBuffer key) {
        hash(key);
        return offsets[find()];
    }

    int size() {
        return entries;
    }

    /** True once no new key can be added. */
    boolean isFull() {
        return entries >= maxEntries;
    }

    /** The largest offset put, or -1. */
    long latestOffset() {
        return latestOffset;
    }

    private void hash(ByteBuffer key) {
        md5.update(key);
        try {
            md5.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The slot holding the current digest, or the empty slot where it would go. */
    private int find() {
        long h = digestHigh();
        long l = digestLow();
        int slot = (int) ((h ^ (h >>> 32)) & 0x7fffffffL) % offsets.length;
        while (offsets[slot] >= 0 && (high[slot] != h || low[slot] != l)) {
            slot = slot + 1 == offsets.length ? 0 : slot + 1;
        }
        return slot;
    }

    private long digestHigh() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (digest[i] & 0xff);
        }
        return v;
    }

    private long digestLow() {
        long v = 0;
        for (int i = 8; i < 16; i++) {
            v = (v << 8) | (digest[i] & 0xff);
        }
        return v;
    }
}

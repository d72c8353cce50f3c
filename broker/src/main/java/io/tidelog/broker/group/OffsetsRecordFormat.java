package io.tidelog.broker.group;

import io.tidelog.broker.replica.TopicPartition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values of the records in {@code __consumer_offsets} (Tidelog's own format, versioned).
 * All integers big-endian; {@code string} = int16 length + UTF-8 bytes, length -1 = null;
 * {@code bytes} = int32 length + bytes.
 *
 * <p>Keys start with an int16 record type. There is exactly one key per (group, topic, partition)
 * for offsets and one per group for its metadata, so a compacted log keeps the latest of each;
 * a record with a null value (tombstone) deletes its key.
 *
 * <pre>
 * OFFSET key (type 0)            GROUP key (type 1)
 *   int16  type = 0                int16  type = 1
 *   string group                   string group
 *   string topic
 *   int32  partition
 *
 * OFFSET value v0                GROUP value v0
 *   int16  version = 0             int16  version = 0
 *   int64  offset                  string protocolType (null: offsets-only group)
 *   int32  leaderEpoch (-1)        int32  generation
 *   string metadata                string protocolName (null when no members)
 *   int64  commitTimestamp (ms)    string leader       (null when no members)
 *                                  int64  stateTimestamp (ms)
 *                                  int32  memberCount, then per member:
 *                                    string memberId, string groupInstanceId (null: dynamic),
 *                                    string clientId, string clientHost,
 *                                    int32 rebalanceTimeoutMs, int32 sessionTimeoutMs,
 *                                    bytes subscription (metadata of the chosen protocol),
 *                                    bytes assignment
 * </pre>
 *
 * <p>Readers skip (and log) a key type or value version they do not know, so newer records do not
 * stop an older broker from loading the rest.
 */
public final class OffsetsRecordFormat {

    public static final short OFFSET_KEY_TYPE = 0;
    public static final short GROUP_KEY_TYPE = 1;
    public static final short OFFSET_VALUE_VERSION = 0;
    public static final short GROUP_VALUE_VERSION = 0;

    /** A decoded key: type, group, and for offsets the topic partition. */
    public record Key(short type, String group, TopicPartition topicPartition) {
    }

    /** A member as stored in a group record. */
    public record StoredMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                               int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
    }

    /** A group metadata value. */
    public record StoredGroup(String protocolType, int generation, String protocolName, String leader,
                              long stateTimestampMs, List<StoredMember> members) {
    }

    private OffsetsRecordFormat() {
    }

    // ------------------------------------------------------------------ keys

    public static byte[] offsetKey(String group, TopicPartition tp) {
        byte[] g = utf8(group);
        byte[] t = utf8(tp.topic());
        ByteBuffer buf = ByteBuffer.allocate(2 + 2 + g.length + 2 + t.length + 4);
        buf.putShort(OFFSET_KEY_TYPE);
        putString(buf, g);
        putString(buf, t);
        buf.putInt(tp.partition());
        return buf.array();
    }

    public static byte[] groupKey(String group) {
        byte[] g = utf8(group);
        ByteBuffer buf = ByteBuffer.allocate(2 + 2 + g.length);
        buf.putShort(GROUP_KEY_TYPE);
        putString(buf, g);
        return buf.array();
    }

    /**
     * Decodes a key; null for an unknown key type.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed key
     */
    public static Key readKey(byte[] key) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(key);
            short type = buf.getShort();
            if (type == OFFSET_KEY_TYPE) {
                String group = getString(buf);
                String topic = getString(buf);
                return new Key(type, group, new TopicPartition(topic, buf.getInt()));
            }
            if (type == GROUP_KEY_TYPE) {
                return new Key(type, getString(buf), null);
            }
            return null;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed __consumer_offsets key of " + key.length + " bytes", e);
        }
    }

    // ------------------------------------------------------------------ offset values

    public static byte[] offsetValue(OffsetAndMetadata offset) {
        byte[] metadata = utf8(offset.metadata());
        ByteBuffer buf = ByteBuffer.allocate(2 + 8 + 4 + 2 + metadata.length + 8);
        buf.putShort(OFFSET_VALUE_VERSION);
        buf.putLong(offset.offset());
        buf.putInt(offset.leaderEpoch());
        putString(buf, metadata);
        buf.putLong(offset.commitTimestampMs());
        return buf.array();
    }

    /** Decodes an offset value; null for an unknown version. */
    public static OffsetAndMetadata readOffsetValue(byte[] value) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(value);
            if (buf.getShort() != OFFSET_VALUE_VERSION) {
                return null;
            }
            long offset = buf.getLong();
            int leaderEpoch = buf.getInt();
            String metadata = getString(buf);
            return new OffsetAndMetadata(offset, leaderEpoch, metadata, buf.getLong());
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed offset value of " + value.length + " bytes", e);
        }
    }

    // ------------------------------------------------------------------ group values

    public static byte[] groupValue(StoredGroup group) {
        byte[] type = utf8(group.protocolType());
        byte[] protocol = utf8(group.protocolName());
        byte[] leader = utf8(group.leader());
        int size = 2 + stringSize(type) + 4 + stringSize(protocol) + stringSize(leader) + 8 + 4;
        List<byte[][]> encoded = new ArrayList<>(group.members().size());
        for (StoredMember m : group.members()) {
            byte[][] parts = {utf8(m.memberId()), utf8(m.groupInstanceId()), utf8(m.clientId()), utf8(m.clientHost())};
            encoded.add(parts);
            for (byte[] part : parts) {
                size += stringSize(part);
            }
            size += 4 + 4 + 4 + m.subscription().length + 4 + m.assignment().length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putShort(GROUP_VALUE_VERSION);
        putString(buf, type);
        buf.putInt(group.generation());
        putString(buf, protocol);
        putString(buf, leader);
        buf.putLong(group.stateTimestampMs());
        buf.putInt(group.members().size());
        for (int i = 0; i < group.members().size(); i++) {
            StoredMember m = group.members().get(i);
            for (byte[] part : encoded.get(i)) {
                putString(buf, part);
            }
            buf.putInt(m.rebalanceTimeoutMs());
            buf.putInt(m.sessionTimeoutMs());
            putBytes(buf, m.subscription());
            putBytes(buf, m.assignment());
        }
        return buf.array();
    }

    /** Decodes a group value; null for an unknown version. */
    public static StoredGroup readGroupValue(byte[] value) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(value);
            if (buf.getShort() != GROUP_VALUE_VERSION) {
                return null;
            }
            String type = getString(buf);
            int generation = buf.getInt();
            String protocol = getString(buf);
            String leader = getString(buf);
            long stateTimestamp = buf.getLong();
            int count = buf.getInt();
            if (count < 0 || count > buf.remaining()) {
                throw new IllegalArgumentException("member count " + count);
            }
            List<StoredMember> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members.add(new StoredMember(getString(buf), getString(buf), getString(buf), getString(buf),
                        buf.getInt(), buf.getInt(), getBytes(buf), getBytes(buf)));
            }
            return new StoredGroup(type, generation, protocol, leader, stateTimestamp, members);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed group value of " + value.length + " bytes", e);
        }
    }

    // ------------------------------------------------------------------ primitives

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int stringSize(byte[] utf8) {
        return 2 + (utf8 == null ? 0 : utf8.length);
    }

    private static void putString(ByteBuffer buf, byte[] utf8) {
        if (utf8 == null) {
            buf.putShort((short) -1);
            return;
        }
        if (utf8.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("string of " + utf8.length + " bytes is too long");
        }
        buf.putShort((short) utf8.length);
        buf.put(utf8);
    }

    private static String getString(ByteBuffer buf) {
        short length = buf.getShort();
        if (length < 0) {
            if (length != -1) {
                throw new IllegalArgumentException("string length " + length);
            }
            return null;
        }
        byte[] bytes = new byte[length];
        buf.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer buf, byte[] bytes) {
        buf.putInt(bytes.length);
        buf.put(bytes);
    }

    private static byte[] getBytes(ByteBuffer buf) {
        int length = buf.getInt();
        if (length < 0 || length > buf.remaining()) {
            throw new IllegalArgumentException("bytes length " + length);
        }
        byte[] bytes = new byte[length];
        buf.get(bytes);
        return bytes;
    }
}

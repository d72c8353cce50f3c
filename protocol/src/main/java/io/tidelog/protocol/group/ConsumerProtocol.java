package io.tidelog.protocol.group;

import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.message.ConsumerProtocolAssignment;
import io.tidelog.protocol.message.ConsumerProtocolSubscription;
import io.tidelog.protocol.message.ProtocolMessage;
import io.tidelog.protocol.types.MessageSize;
import io.tidelog.protocol.types.ProtocolReader;
import io.tidelog.protocol.types.ProtocolWriter;

import java.nio.ByteBuffer;

/**
 * The consumer protocol (group protocol type {@value #PROTOCOL_TYPE}): the bytes a consumer puts
 * in JoinGroup's protocol metadata (a {@link ConsumerProtocolSubscription}) and the bytes the group
 * leader hands each member through SyncGroup (a {@link ConsumerProtocolAssignment}). The group
 * coordinator passes them through untouched; consumers and describe tooling read them here.
 *
 * <pre>
 * | offset | size | field                                  |
 * |      0 |    2 | version (int16)                        |
 * |      2 |  ... | the struct, encoded at that version    |
 * </pre>
 *
 * <p>Reading follows Kafka's compatibility rule for these payloads: newer versions only append
 * fields, so a version above the newest we know is read with the newest layout and whatever
 * follows the known fields is ignored (for every version, as Kafka does). A negative version or
 * missing bytes is a {@link ProtocolDecodeException}; so is an empty payload, which is what
 * DescribeGroups shows for a member that has no assignment yet — check for it before reading.
 */
public final class ConsumerProtocol {

    /** JoinGroup's protocol type for consumers. */
    public static final String PROTOCOL_TYPE = "consumer";
    /** Size of the version that precedes the struct. */
    public static final int VERSION_BYTES = 2;

    private ConsumerProtocol() {
    }

    /** {@code subscription} at {@code version} (0–3) with its version in front. */
    public static byte[] writeSubscription(ConsumerProtocolSubscription subscription, short version) {
        return write(subscription, version);
    }

    /**
     * @throws ProtocolDecodeException when {@code bytes} is not a subscription
     */
    public static ConsumerProtocolSubscription readSubscription(byte[] bytes) {
        ProtocolReader reader = new ProtocolReader(ByteBuffer.wrap(bytes));
        short version = readVersion(reader, "subscription");
        return ConsumerProtocolSubscription.read(reader,
                (short) Math.min(version, ConsumerProtocolSubscription.HIGHEST_VERSION));
    }

    /** {@code assignment} at {@code version} (0–3) with its version in front. */
    public static byte[] writeAssignment(ConsumerProtocolAssignment assignment, short version) {
        return write(assignment, version);
    }

    /**
     * @throws ProtocolDecodeException when {@code bytes} is not an assignment
     */
    public static ConsumerProtocolAssignment readAssignment(byte[] bytes) {
        ProtocolReader reader = new ProtocolReader(ByteBuffer.wrap(bytes));
        short version = readVersion(reader, "assignment");
        return ConsumerProtocolAssignment.read(reader,
                (short) Math.min(version, ConsumerProtocolAssignment.HIGHEST_VERSION));
    }

    /**
     * The version a payload was written at (may be newer than the layout it is read with).
     *
     * @throws ProtocolDecodeException when there are fewer than 2 bytes or the version is negative
     */
    public static short version(byte[] bytes) {
        return readVersion(new ProtocolReader(ByteBuffer.wrap(bytes)), "payload");
    }

    private static short readVersion(ProtocolReader reader, String what) {
        short version = reader.readInt16();
        if (version < 0) {
            throw new ProtocolDecodeException("consumer protocol " + what + " has negative version " + version);
        }
        return version;
    }

    private static byte[] write(ProtocolMessage message, short version) {
        MessageSize size = new MessageSize();
        size.add(VERSION_BYTES);
        message.addSize(size, version);
        byte[] bytes = new byte[size.totalSize()];
        ProtocolWriter writer = new ProtocolWriter(ByteBuffer.wrap(bytes));
        writer.writeInt16(version);
        message.write(writer, version);
        writer.finish(bytes.length);
        return bytes;
    }
}

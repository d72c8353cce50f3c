package io.tidelog.protocol.message;

import io.tidelog.protocol.ProtocolDecodeException;
import io.tidelog.protocol.frame.DecodedRequest;
import io.tidelog.protocol.frame.FrameEncoder;
import io.tidelog.protocol.frame.RequestDecoder;
import io.tidelog.protocol.frame.RequestHeader;
import io.tidelog.protocol.generator.MessageSchema;
import io.tidelog.protocol.generator.MessageSchema.Message;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Bad bytes for every message and version: each truncation of a valid encoding, random mutations
 * (including lengths set to 2^31-1 and negatives), and random garbage must decode to a value or
 * fail with {@link ProtocolDecodeException} — never another exception, a hang, or an allocation
 * out of proportion to the input (lengths are checked against the bytes left).
 */
@Timeout(120)
class DecodeFuzzTest {

    private static final int MUTATIONS_PER_VERSION = 300;
    private static final int GARBAGE_PER_VERSION = 100;
    /** Decoding allocates objects per element, never buffers sized by a claimed length. */
    private static final long ALLOCATION_PER_INPUT_BYTE = 512;
    private static final long ALLOCATION_SLACK = 256 * 1024;

    private static final MessageSchema SCHEMA = MessageFixtures.schema();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int[] HOSTILE_INTS = {Integer.MAX_VALUE, -1, -2, Integer.MIN_VALUE, 0x00ffffff, 0x7fff};

    @TestFactory
    Stream<DynamicTest> givenEveryTruncationOfAValidBodyWhenDecodedThenItIsADecodeError() {
        long seed = MessageFixtures.seed();
        return cases(seed, (message, version, random) -> {
            ByteBuffer valid = MessageFixtures.encode(MessageFixtures.randomMessage(message, version, random), version);
            for (int length = 0; length < valid.remaining(); length++) {
                ByteBuffer truncated = valid.duplicate().limit(length);
                int cut = length;
                Outcome outcome = decodeBody(message, version, truncated, seed);
                assertThat(outcome).as("%s v%d cut at %d of %d (seed %d)", message.name(), version, cut,
                        valid.remaining(), seed).isEqualTo(Outcome.DECODE_ERROR);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> givenRandomMutationsOfAValidBodyWhenDecodedThenItDecodesOrIsADecodeError() {
        long seed = MessageFixtures.seed();
        return cases(seed, (message, version, random) -> {
            for (int i = 0; i < MUTATIONS_PER_VERSION; i++) {
                ByteBuffer valid = MessageFixtures.encode(MessageFixtures.randomMessage(message, version, random), version);
                ByteBuffer mutated = mutate(valid, random);
                decodeBody(message, version, mutated, seed);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> givenRandomGarbageWhenDecodedThenItDecodesOrIsADecodeError() {
        long seed = MessageFixtures.seed();
        return cases(seed, (message, version, random) -> {
            for (int i = 0; i < GARBAGE_PER_VERSION; i++) {
                byte[] garbage = new byte[random.nextInt(80)];
                random.nextBytes(garbage);
                decodeBody(message, version, ByteBuffer.wrap(garbage), seed);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> givenMutatedWholeRequestFramesWhenTheBrokerDecodesThemThenItGetsARequestOrADecodeError() {
        long seed = MessageFixtures.seed();
        List<DynamicTest> tests = new ArrayList<>();
        for (Message message : SCHEMA.messages()) {
            if (!message.request()) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(message.name() + " frames", () -> {
                Random random = new Random(seed ^ message.name().hashCode());
                for (int i = 0; i < MUTATIONS_PER_VERSION; i++) {
                    short version = (short) (message.versions().low()
                            + random.nextInt(message.versions().high() - message.versions().low() + 1));
                    ApiMessage body = MessageFixtures.randomApiMessage(message, version, random);
                    RequestHeader header = new RequestHeader(message.api().id(), version, random.nextInt(), "fuzz");
                    ByteBuffer frame = FrameEncoder.encodeRequest(header, body).toByteBuffer().position(4).slice();
                    DecodedRequest intact = RequestDecoder.decode(frame.duplicate());
                    assertThat(intact.body()).as("seed %d", seed).isEqualTo(body);
                    ByteBuffer mutated = mutate(frame, random);
                    checked(message.name() + " frame", seed, mutated.remaining(), () -> RequestDecoder.decode(mutated.duplicate()));
                }
            }));
        }
        return tests.stream();
    }

    private interface Case {
        void run(Message message, short version, Random random);
    }

    private static Stream<DynamicTest> cases(long seed, Case body) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Message message : SCHEMA.messages()) {
            for (short v = (short) message.versions().low(); v <= message.versions().high(); v++) {
                short version = v;
                tests.add(DynamicTest.dynamicTest(message.name() + " v" + version, () ->
                        body.run(message, version, new Random(seed ^ (message.name().hashCode() * 31L + version)))));
            }
        }
        return tests.stream();
    }

    private enum Outcome { DECODED, DECODE_ERROR }

    private static Outcome decodeBody(Message message, short version, ByteBuffer bytes, long seed) {
        return checked(message.name() + " v" + version, seed, bytes.remaining(),
                () -> MessageOracleTest.readOurs(message, bytes.duplicate(), version));
    }

    private static Outcome checked(String what, long seed, int inputBytes, Supplier<Object> decode) {
        long budget = ALLOCATION_SLACK + ALLOCATION_PER_INPUT_BYTE * inputBytes;
        long allocated = allocatedBy(what, seed, decode);
        if (allocated > budget) {
            // The first decode of a class also pays for class loading; measure a second, warm run.
            allocated = allocatedBy(what, seed, decode);
        }
        if (allocated > budget) {
            fail(what + ": decoding " + inputBytes + " bytes allocated " + allocated + " bytes (seed " + seed + ")");
        }
        return outcomeOf(what, seed, decode);
    }

    private static long allocatedBy(String what, long seed, Supplier<Object> decode) {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        outcomeOf(what, seed, decode);
        return THREADS.getThreadAllocatedBytes(thread) - before;
    }

    private static Outcome outcomeOf(String what, long seed, Supplier<Object> decode) {
        try {
            decode.get();
            return Outcome.DECODED;
        } catch (ProtocolDecodeException e) {
            return Outcome.DECODE_ERROR;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": escaped " + e + " (seed " + seed + ")", e);
        }
    }

    /** 1–4 edits: random bytes, or a hostile int32 (huge/negative length) written over any position. */
    private static ByteBuffer mutate(ByteBuffer valid, Random random) {
        byte[] bytes = new byte[valid.remaining()];
        valid.duplicate().get(bytes);
        if (bytes.length == 0) {
            return ByteBuffer.wrap(bytes);
        }
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] = (byte) random.nextInt();
                case 1 -> bytes[at] = (byte) (0x80 | random.nextInt()); // varint continuation
                default -> {
                    int hostile = HOSTILE_INTS[random.nextInt(HOSTILE_INTS.length)];
                    for (int b = 0; b < 4 && at + b < bytes.length; b++) {
                        bytes[at + b] = (byte) (hostile >>> (24 - 8 * b));
                    }
                }
            }
        }
        return ByteBuffer.wrap(bytes);
    }
}

package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile bytes on one connection never stop the broker process serving the others. A Kafka
 * producer keeps a connection open across all tests and must succeed after each attack.
 */
class BadInputTest {

    private static final long SEED = Long.getLong("tidelog.seed", System.nanoTime());
    private static final int READ_TIMEOUT_MS = 30_000;

    @TempDir
    static Path dataDir;

    private static BrokerProcess broker;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = BrokerProcess.start("BadInputTest", dataDir);
        Clients.createTopic(broker, "bad-input", 1);
        producer = Clients.producer(broker);
        produce("before any attack");
    }

    @AfterAll
    static void stopBroker() {
        try {
            if (producer != null) {
                producer.close();
            }
            if (broker != null) {
                broker.stop();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void garbageBytesOnOneConnectionLeaveTheBrokerServingOthers() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(SEED).nextBytes(garbage);
        try (Socket socket = connect()) {
            send(socket, garbage);
            drainUntilClosedOrTimeout(socket);
        }

        assertStillServing("after garbage bytes (seed " + SEED + ")");
    }

    @Test
    void aFrameLengthOf2To31Minus1IsRefusedByClosingTheConnection() throws Exception {
        try (Socket socket = connect()) {
            send(socket, ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
            send(socket, "some bytes of a frame that will never be complete".getBytes(StandardCharsets.US_ASCII));

            assertThat(drainUntilClosedOrTimeout(socket)).as("the broker closes the connection").isTrue();
        }

        assertStillServing("after a 2^31-1 frame length");
    }

    @Test
    void aTruncatedFrameFollowedByDisconnectLeavesTheBrokerServing() throws Exception {
        try (Socket socket = connect()) {
            // An ApiVersions v3 request header announced as 100 bytes, cut after 14.
            ByteBuffer frame = ByteBuffer.allocate(18).putInt(100).putShort((short) 18).putShort((short) 3).putInt(7)
                    .putShort((short) 4).put("test".getBytes(StandardCharsets.US_ASCII));
            send(socket, frame.array());
        }

        assertStillServing("after a truncated frame and disconnect");
    }

    @Test
    void aNegativeFrameLengthIsRefusedByClosingTheConnection() throws Exception {
        try (Socket socket = connect()) {
            send(socket, ByteBuffer.allocate(8).putInt(-5).putInt(0).array());

            assertThat(drainUntilClosedOrTimeout(socket)).as("the broker closes the connection").isTrue();
        }

        assertStillServing("after a negative frame length");
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", broker.port()), 10_000);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    private static void send(Socket socket, byte[] bytes) throws IOException {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (SocketException e) {
            // The broker may close the connection mid-write; that is a valid way to refuse it.
        }
    }

    /** Reads until the broker closes the connection (true) or the read times out (false). */
    private static boolean drainUntilClosedOrTimeout(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) >= 0) {
                // discard whatever the broker answers with
            }
            return true;
        } catch (SocketException e) {
            return true; // connection reset by the broker
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static void assertStillServing(String when) throws Exception {
        assertThat(broker.isAlive()).as("broker process alive " + when + "\n" + broker.diagnostics()).isTrue();
        RecordMetadata metadata = produce("produced " + when);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker)) {
            TopicPartition tp = new TopicPartition("bad-input", 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, metadata.offset());
            assertThat(Clients.pollAtLeast(consumer, 1)).as("the record produced " + when).first()
                    .satisfies(record -> assertThat(new String(record.value(), StandardCharsets.UTF_8))
                            .isEqualTo("produced " + when));
        }
    }

    private static RecordMetadata produce(String value) throws Exception {
        return producer.send(new ProducerRecord<>("bad-input", value.getBytes(StandardCharsets.UTF_8))).get();
    }
}

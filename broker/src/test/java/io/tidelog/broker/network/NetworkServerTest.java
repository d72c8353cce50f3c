package io.tidelog.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network layer against real sockets, with a dispatcher that speaks a tiny test protocol:
 * a frame is {@code int id, int mode}; mode 0 echoes the id at once, mode 1 parks until the test
 * releases it, mode 2 sends no response, mode 3 asks to close the connection.
 */
class NetworkServerTest {

    private static final int ECHO = 0;
    private static final int PARK = 1;
    private static final int SILENT = 2;
    private static final int CLOSE = 3;
    private static final int BIG = 4;
    private static final int BIG_BYTES = 1 << 20;
    private static final ByteBuffer BIG_PAYLOAD = ByteBuffer.allocate(BIG_BYTES).asReadOnlyBuffer();
    private static final int MAX_IN_FLIGHT = 2;

    private final Map<Integer, PendingResponse> parked = new ConcurrentHashMap<>();
    private final List<Integer> dispatched = new CopyOnWriteArrayList<>();
    private final AtomicInteger maxParked = new AtomicInteger();
    private EventLoops loops;
    private NetworkServer server;

    @BeforeEach
    void start() throws IOException {
        loops = new EventLoops(2);
        server = NetworkServer.bind(new InetSocketAddress("127.0.0.1", 0), loops,
                new NetworkServer.Settings(1024, MAX_IN_FLIGHT, 0, 0, 1 << 20), this::dispatch);
    }

    @AfterEach
    void stop() {
        server.stopAccepting();
        server.closeConnections();
        loops.close();
    }

    private void dispatch(ByteBuffer frame, PendingResponse response) {
        int id = frame.getInt();
        int mode = frame.getInt();
        dispatched.add(id);
        switch (mode) {
            case PARK -> {
                parked.put(id, response);
                maxParked.accumulateAndGet(parked.size(), Math::max);
            }
            case SILENT -> response.completeWithoutResponse();
            case CLOSE -> response.closeConnection("test asked");
            case BIG -> response.complete(new ResponseParts()
                    .addBuffer((ByteBuffer) ByteBuffer.allocate(8).putInt(4 + BIG_BYTES).putInt(id).flip())
                    .addBuffer(BIG_PAYLOAD.duplicate()));
            default -> response.complete(echo(id));
        }
    }

    private static ResponseParts echo(int id) {
        return new ResponseParts().addBuffer((ByteBuffer) ByteBuffer.allocate(8).putInt(4).putInt(id).flip());
    }

    private void release(int id) {
        parked.remove(id).complete(echo(id));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(server.boundAddress(), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, int id, int mode) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(8);
        out.writeInt(id);
        out.writeInt(mode);
        out.flush();
    }

    private static int receive(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(in.readInt()).isEqualTo(4);
        return in.readInt();
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private void assertServesANewConnection() throws IOException {
        try (Socket other = connect()) {
            send(other, 99, ECHO);
            assertThat(receive(other)).isEqualTo(99);
        }
    }

    @Test
    void givenAParkedRequestAheadOfAQuickOne_whenTheQuickOneCompletesFirst_thenAnswersStillLeaveInRequestOrder()
            throws IOException {
        try (Socket socket = connect()) {
            send(socket, 1, PARK);
            send(socket, 2, ECHO);
            await().until(() -> dispatched.contains(2));

            release(1);

            assertThat(receive(socket)).isEqualTo(1);
            assertThat(receive(socket)).isEqualTo(2);
        }
    }

    @Test
    void givenARequestThatWantsNoResponse_whenFollowedByAnother_thenOnlyTheSecondIsAnswered() throws IOException {
        try (Socket socket = connect()) {
            send(socket, 1, SILENT);
            send(socket, 2, ECHO);

            assertThat(receive(socket)).isEqualTo(2);
        }
    }

    @Test
    void givenAFrameLengthOf2Pow31Minus1_whenSent_thenThatConnectionIsClosedAndOthersAreServed() throws IOException {
        try (Socket socket = connect()) {
            new DataOutputStream(socket.getOutputStream()).writeInt(Integer.MAX_VALUE);
            assertThat(closedByServer(socket)).isTrue();
        }
        assertThat(dispatched).isEmpty();
        assertServesANewConnection();
    }

    @Test
    void givenANegativeFrameLength_whenSent_thenThatConnectionIsClosed() throws IOException {
        try (Socket socket = connect()) {
            new DataOutputStream(socket.getOutputStream()).writeInt(-5);
            assertThat(closedByServer(socket)).isTrue();
        }
        assertServesANewConnection();
    }

    @Test
    void givenATruncatedFrame_whenTheClientDisconnects_thenNothingIsDispatchedAndOthersAreServed() throws IOException {
        try (Socket socket = connect()) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(100);
            out.write(new byte[10]);
            out.flush();
        }
        assertServesANewConnection();
        assertThat(dispatched).containsExactly(99);
    }

    @Test
    void givenMoreRequestsThanTheInFlightLimit_whenPipelined_thenAtMostTheLimitIsDispatchedAtOnceAndAllAreAnswered()
            throws IOException {
        try (Socket socket = connect()) {
            for (int id = 1; id <= 5; id++) {
                send(socket, id, PARK);
            }
            for (int id = 1; id <= 5; id++) {
                int next = id;
                await().atMost(Duration.ofSeconds(10)).until(() -> parked.containsKey(next));
                release(id);
                assertThat(receive(socket)).isEqualTo(id);
            }
        }
        assertThat(maxParked.get()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(dispatched).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void givenACloseRequestBehindAnAnsweredOne_whenProcessed_thenTheEarlierAnswerArrivesBeforeTheClose()
            throws IOException {
        try (Socket socket = connect()) {
            send(socket, 1, ECHO);
            send(socket, 2, CLOSE);

            assertThat(receive(socket)).isEqualTo(1);
            assertThat(closedByServer(socket)).isTrue();
        }
        assertServesANewConnection();
    }

    @Test
    void givenAParkedRequest_whenTheClientDisconnectsAndItCompletesLater_thenNothingLeaksAndInFlightDrains()
            throws IOException {
        try (Socket socket = connect()) {
            send(socket, 1, PARK);
            await().until(() -> parked.containsKey(1));
        }
        release(1);
        assertThat(server.awaitInFlight(10_000)).isTrue();
        assertThat(server.requestsInFlight()).isZero();
    }

    @Test
    void givenAGarbageStream_whenItDeclaresAnImpossibleLength_thenTheConnectionCloses() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertThat(closedByServer(socket)).isTrue();
        } catch (EOFException expected) {
            // closed while writing is fine too
        }
        assertServesANewConnection();
    }

    @Test
    void givenAClientThatDoesNotRead_whenAnswersPileUp_thenTheBrokerStopsReadingItAndResumesOnceItReads()
            throws IOException {
        int requests = 40;
        try (Socket socket = connect()) {
            for (int id = 1; id <= requests; id++) {
                send(socket, id, BIG);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.pausedConnections() == 1);
            assertThat(dispatched.size()).as("requests dispatched while the client reads nothing").isLessThan(requests);

            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] payload = new byte[BIG_BYTES];
            for (int id = 1; id <= requests; id++) {
                assertThat(in.readInt()).isEqualTo(4 + BIG_BYTES);
                assertThat(in.readInt()).isEqualTo(id);
                in.readFully(payload);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.pausedConnections() == 0);
        }
        assertThat(dispatched).hasSize(requests);
    }
}

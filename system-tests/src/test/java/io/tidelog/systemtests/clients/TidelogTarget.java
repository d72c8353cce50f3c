package io.tidelog.systemtests.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.tidelog.systemtests.BrokerProcess;

/**
 * Tidelog as a real process started from {@code tools/target/tidelog.jar}. A Tidelog broker has a
 * single listener, so the proxied endpoint is a second broker process that advertises the proxy's
 * port; it is started the first time a test asks for it.
 */
final class TidelogTarget extends BrokerTarget {

    /** The same single-node test settings as {@link KafkaTarget}'s broker. */
    static final String[] SETTINGS = {
        "auto.create.topics.enable=false",
        "group.initial.rebalance.delay.ms=0",
        "offsets.topic.num.partitions=1",
        "log.segment.bytes=" + 8 * 1024 * 1024,
    };

    private final List<Path> dataDirs = new ArrayList<>();
    private final BrokerProcess broker;
    private BrokerProcess proxiedBroker;
    private CuttingProxy proxy;
    private Endpoint proxied;

    private TidelogTarget() {
        broker = BrokerProcess.start("clients-tidelog", newDataDir(), SETTINGS);
    }

    static BrokerTarget start() {
        return new TidelogTarget();
    }

    @Override
    String name() {
        return "Tidelog";
    }

    @Override
    Endpoint direct() {
        return new Endpoint(broker.bootstrapServers(), null);
    }

    @Override
    synchronized Endpoint proxied() {
        if (proxied == null) {
            try {
                proxy = new CuttingProxy();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // BrokerProcess learns the port from the "serving on" line, which shows the advertised
            // address (the proxy's), so the bound port is chosen here.
            int listenerPort = freePort();
            String[] settings = new String[SETTINGS.length + 2];
            System.arraycopy(SETTINGS, 0, settings, 0, SETTINGS.length);
            settings[SETTINGS.length] = "listeners=PLAINTEXT://127.0.0.1:" + listenerPort;
            settings[SETTINGS.length + 1] = "advertised.listeners=PLAINTEXT://127.0.0.1:" + proxy.port();
            proxiedBroker = BrokerProcess.start("clients-tidelog-proxied", newDataDir(), settings);
            proxy.target(listenerPort);
            proxied = new Endpoint("127.0.0.1:" + proxy.port(), proxy);
        }
        return proxied;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path newDataDir() {
        try {
            Path dir = Files.createTempDirectory("tidelog-clients-");
            dataDirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the brokers (a graceful stop must exit 0 without a ByteBuf leak) and deletes their data. */
    @Override
    public synchronized void close() throws IOException {
        try {
            if (proxy != null) {
                proxy.close();
            }
            if (proxiedBroker != null) {
                try {
                    proxiedBroker.stop();
                } finally {
                    proxiedBroker.close();
                }
            }
        } finally {
            try {
                broker.stop();
            } finally {
                broker.close();
                dataDirs.forEach(TidelogTarget::deleteRecursively);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory left behind is not a test failure
        }
    }
}

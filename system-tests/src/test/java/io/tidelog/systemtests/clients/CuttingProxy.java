package io.tidelog.systemtests.clients;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 between clients and one broker listener. It can cut every connection
 * through it at once, in both directions, like a network failure in the middle of a stream, and it
 * can go dark (refuse every connection) until {@link #restore()}.
 *
 * <p>The broker must advertise the proxy's port, or clients would follow the Metadata answer
 * straight to the broker. Each forwarded connection uses two daemon threads (one per direction);
 * a cut closes both sockets, which ends both threads.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile InetSocketAddress target;
    private volatile boolean dark;

    CuttingProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "cutting-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Where connections are forwarded; set once the broker listener's port is known. */
    void target(int port) {
        if (port == port()) {
            throw new IllegalArgumentException("the proxy on port " + port + " cannot forward to itself");
        }
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Connections forwarded so far (a client that reconnects after a cut adds one). */
    int acceptedConnections() {
        return accepted.get();
    }

    /** Closes every connection through the proxy; new connections are forwarded as before. */
    void cutAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Cuts every connection and refuses new ones (closes them at once) until {@link #restore()}. */
    void goDark() {
        dark = true;
        cutAll();
    }

    void restore() {
        dark = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            InetSocketAddress to = target;
            if (dark || to == null) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(to.getAddress(), to.getPort());
                accepted.incrementAndGet();
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                closeQuietly(client); // the broker refused: the client sees its connection drop
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // cut, or the other side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "cutting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}

package io.tidelog.broker.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening socket and its connections. Each accepted connection gets a {@link FrameDecoder}
 * and a {@link ConnectionHandler}; requests go to the {@link RequestDispatcher}.
 *
 * <p>Shutdown is in two steps so in-flight requests can finish: {@link #stopAccepting()}, then
 * {@link #awaitInFlight(long)}, then {@link #closeConnections()}.
 */
public final class NetworkServer {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkServer.class);

    /** Network limits and socket options. */
    public record Settings(int maxRequestBytes, int maxInFlightPerConnection, int sendBufferBytes,
                           int receiveBufferBytes, int outboundHighWaterMarkBytes) {
        public static Settings defaults(int maxRequestBytes) {
            return new Settings(maxRequestBytes, 32, 0, 0, 4 * 1024 * 1024);
        }
    }

    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final InFlightTracker inFlight;

    private NetworkServer(Channel serverChannel, ChannelGroup connections, InFlightTracker inFlight) {
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.inFlight = inFlight;
    }

    public static NetworkServer bind(InetSocketAddress address, EventLoops loops, Settings settings,
                                     RequestDispatcher dispatcher) throws IOException {
        ChannelGroup connections = new DefaultChannelGroup("tidelog-connections", GlobalEventExecutor.INSTANCE);
        InFlightTracker inFlight = new InFlightTracker();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(loops.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        settings.outboundHighWaterMarkBytes() / 2, settings.outboundHighWaterMarkBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast("frames", new FrameDecoder(settings.maxRequestBytes()));
                        ch.pipeline().addLast("requests", new ConnectionHandler(
                                dispatcher, inFlight, settings.maxInFlightPerConnection()));
                    }
                });
        if (settings.sendBufferBytes() > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, settings.sendBufferBytes());
        }
        if (settings.receiveBufferBytes() > 0) {
            bootstrap.childOption(ChannelOption.SO_RCVBUF, settings.receiveBufferBytes());
        }
        try {
            Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
            return new NetworkServer(channel, connections, inFlight);
        } catch (RuntimeException e) {
            throw new IOException("Cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Closes the listening socket; existing connections keep being served. */
    public void stopAccepting() {
        serverChannel.close().awaitUninterruptibly();
    }

    /** Waits until every received request has been answered, at most {@code timeoutMillis}. */
    public boolean awaitInFlight(long timeoutMillis) {
        try {
            return inFlight.awaitIdle(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int requestsInFlight() {
        return inFlight.count();
    }

    /** Connections not being read right now because they have too much in flight or queued to send. */
    public int pausedConnections() {
        return inFlight.pausedConnections();
    }

    public void closeConnections() {
        connections.close().awaitUninterruptibly(5_000);
        LOG.debug("Closed all client connections");
    }
}

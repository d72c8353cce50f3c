package io.tidelog.broker.network;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The broker's I/O threads. They decode requests, encode responses, and are also the owner
 * threads of partitions (Singular Update Queue): {@link #ownerOf} maps a partition to one loop for
 * its whole life, so its appends, high-water mark moves and truncations never race.
 *
 * <p>Uses epoll when the native transport is available, NIO otherwise.
 */
public final class EventLoops implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<EventLoop> loops;
    private final boolean epoll;

    public EventLoops(int threads) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("tidelog-io", true), factory);
        List<EventLoop> all = new ArrayList<>(threads);
        group.forEach(executor -> all.add((EventLoop) executor));
        this.loops = List.copyOf(all);
        org.slf4j.LoggerFactory.getLogger(EventLoops.class).info("Network: {} event loop(s) on the {} transport",
                threads, epoll ? "epoll" : "NIO");
    }

    /** One I/O thread per core: on a small machine fewer threads is faster. */
    public static int defaultThreadCount() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public EventLoopGroup group() {
        return group;
    }

    public boolean isEpoll() {
        return epoll;
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The owner loop of a partition; stable for the process lifetime. */
    public EventLoop ownerOf(String topic, int partition) {
        int hash = 31 * topic.hashCode() + partition;
        return loops.get(Math.floorMod(hash ^ (hash >>> 16), loops.size()));
    }

    /** Stops the loops after they run what is queued; waits at most {@code timeoutMillis}. */
    public void shutdown(long timeoutMillis) {
        group.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        shutdown(5_000);
    }
}

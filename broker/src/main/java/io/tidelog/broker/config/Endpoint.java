package io.tidelog.broker.config;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * A listener endpoint, {@code NAME://host:port}. Only the {@code PLAINTEXT} security protocol
 * exists in Tidelog, so the listener name must be {@code PLAINTEXT}.
 *
 * <p>An empty host ({@code PLAINTEXT://:9092}) binds every interface. Port 0 binds an ephemeral
 * port; the broker then advertises the port it was given.
 */
public record Endpoint(String listenerName, String host, int port) {

    public static final String PLAINTEXT = "PLAINTEXT";

    public Endpoint {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
    }

    /**
     * Parses {@code NAME://host:port}; an IPv6 host is written in brackets ({@code [::1]}).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static Endpoint parse(String text) {
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("must look like PLAINTEXT://host:port");
        }
        String name = text.substring(0, schemeEnd).toUpperCase(Locale.ROOT);
        if (!name.equals(PLAINTEXT)) {
            throw new IllegalArgumentException("only PLAINTEXT listeners are supported, not " + name);
        }
        String hostPort = text.substring(schemeEnd + 3);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("must look like PLAINTEXT://host:port (port missing)");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 host must be written in brackets, e.g. [::1]");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number between 0 and 65535");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be a number between 0 and 65535");
        }
        return new Endpoint(name, host, port);
    }

    /** True when the host is empty or {@code 0.0.0.0} / {@code ::}: bind every interface. */
    public boolean bindsAllInterfaces() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    /** The address to bind (unresolved hosts are resolved here; a wildcard for an empty host). */
    public InetSocketAddress bindAddress() {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** The same endpoint on another port (e.g. the one actually bound when {@code port} was 0). */
    public Endpoint withPort(int newPort) {
        return new Endpoint(listenerName, host, newPort);
    }

    @Override
    public String toString() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return listenerName + "://" + shownHost + ":" + port;
    }
}

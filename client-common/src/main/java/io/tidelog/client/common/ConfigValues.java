package io.tidelog.client.common;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a client's string settings (Kafka's key names), shared by the producer, the
 * consumer and the admin client. A missing key gives the default; a malformed or out-of-range
 * value is refused through the client's own exception type, naming the key, the value and why.
 */
public final class ConfigValues {

    /** Makes the client's exception for a refused setting. */
    @FunctionalInterface
    public interface Refusal {
        RuntimeException refuse(String key, String value, String reason);
    }

    private final Map<String, String> raw;
    private final Refusal refusal;

    public ConfigValues(Map<String, String> raw, Refusal refusal) {
        this.raw = raw;
        this.refusal = refusal;
    }

    /** A whole number in [min, max], or {@code defaultValue} when the key is absent. */
    public long longValue(String key, long defaultValue, long min, long max) {
        String value = raw.get(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw refusal.refuse(key, value, "not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw refusal.refuse(key, value, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    /** {@code true} or {@code false} (any case), or {@code defaultValue} when the key is absent. */
    public boolean booleanValue(String key, boolean defaultValue) {
        String value = raw.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw refusal.refuse(key, value, "must be true or false");
    }

    /**
     * A required comma-separated list of {@code host:port} (IPv6 hosts in brackets), as unresolved
     * addresses: resolution happens at connect time, so a name that moves is followed.
     */
    public List<InetSocketAddress> addresses(String key) {
        String value = raw.get(key);
        if (value == null || value.isBlank()) {
            throw refusal.refuse(key, value, "required: a comma-separated list of host:port");
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String entry : value.split(",")) {
            String hostPort = entry.trim();
            if (hostPort.isEmpty()) {
                continue;
            }
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1) {
                throw refusal.refuse(key, value, "'" + hostPort + "' is not host:port");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw refusal.refuse(key, value, "'" + hostPort + "' has no numeric port");
            }
            if (port < 1 || port > 65535) {
                throw refusal.refuse(key, value, "port " + port + " is outside 1..65535");
            }
            addresses.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (addresses.isEmpty()) {
            throw refusal.refuse(key, value, "required: a comma-separated list of host:port");
        }
        return List.copyOf(addresses);
    }
}

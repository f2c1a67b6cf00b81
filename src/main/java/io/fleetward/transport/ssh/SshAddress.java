package io.fleetward.transport.ssh;

import java.util.Objects;

/**
 * Where an SSH command goes. {@link SshTransport} reads it from a request's destination text
 * ({@code [user@]host[:port]}) with the {@link Parser} it is built with: the rules for that text
 * belong to the inventory, which checks every destination before a request is made.
 *
 * @param user login user, or null for the transport's default ({@code root})
 * @param host DNS name or IP address (an IPv6 address without brackets)
 * @param port 1-65535, or 0 for the transport's default (22)
 */
public record SshAddress(String user, String host, int port) {
    public SshAddress {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be 1-65535");
        }
    }

    /** Reads a request's destination text. */
    @FunctionalInterface
    public interface Parser {
        /**
         * The address {@code destination} names.
         *
         * @throws IllegalArgumentException with the reason when it is malformed
         */
        SshAddress parse(String destination);
    }
}

package io.fleetward.transport.ssh;

import java.util.Locale;

/** What to do with a host key that the known_hosts file does not hold yet. A changed key is always refused. */
public enum HostKeyPolicy {
    /** Only keys already in the known_hosts file are accepted. */
    STRICT,
    /** A host's first key is recorded in the known_hosts file and accepted (trust on first use). */
    ACCEPT_NEW;

    /**
     * Parses the config value {@code strict} or {@code accept-new}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static HostKeyPolicy parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "strict" -> STRICT;
            case "accept-new" -> ACCEPT_NEW;
            default -> throw new IllegalArgumentException(
                    "host key policy must be strict or accept-new, got '" + value + "'");
        };
    }
}

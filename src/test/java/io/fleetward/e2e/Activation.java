package io.fleetward.e2e;

import java.time.Instant;
import java.util.Locale;

/**
 * One activation on a simulated host, as the host itself logged it: a system switch by
 * {@code fleetward-sim-activate} or a home switch by {@code nh home switch}.
 *
 * @param at       when it finished
 * @param unixUser the account it ran as ({@code id -un} on the host)
 * @param kind     system or home
 * @param path     the system path or home-manager generation it activated
 */
public record Activation(Instant at, String unixUser, Kind kind, String path) {
    public enum Kind { SYSTEM, HOME }

    /** Parses a log line {@code <UTC time> <unix user> system|home <path>}. */
    static Activation parse(String line) {
        String[] fields = line.strip().split(" ");
        if (fields.length != 4) {
            throw new IllegalArgumentException("not an activation log line: " + line);
        }
        return new Activation(Instant.parse(fields[0]), fields[1], Kind.valueOf(fields[2].toUpperCase(Locale.ROOT)), fields[3]);
    }
}

package io.fleetward.fleet;

import java.util.Objects;

/**
 * The identity of a target: {@code system:<host>} or {@code home:<user>@<host>}.
 * Both names are valid {@link Names}, so an id is safe to show, log and use as a metric label.
 */
public record TargetId(TargetKind kind, String host, String user) implements Comparable<TargetId> {

    public TargetId {
        Objects.requireNonNull(kind, "kind");
        if (!Names.isValid(host)) {
            throw new IllegalArgumentException("invalid host name");
        }
        if (kind == TargetKind.SYSTEM && user != null) {
            throw new IllegalArgumentException("a system target has no user");
        }
        if (kind == TargetKind.HOME && !Names.isValid(user)) {
            throw new IllegalArgumentException("invalid user name");
        }
    }

    public static TargetId system(String host) {
        return new TargetId(TargetKind.SYSTEM, host, null);
    }

    public static TargetId home(String user, String host) {
        return new TargetId(TargetKind.HOME, host, user);
    }

    /**
     * Parses {@code system:<host>} or {@code home:<user>@<host>}.
     *
     * @throws IllegalArgumentException with a reason fit for a 400 answer
     */
    public static TargetId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("target id is missing");
        }
        if (text.startsWith("system:")) {
            String host = text.substring("system:".length());
            if (Names.isValid(host)) {
                return system(host);
            }
        } else if (text.startsWith("home:")) {
            String rest = text.substring("home:".length());
            int at = rest.indexOf('@');
            if (at > 0) {
                String user = rest.substring(0, at);
                String host = rest.substring(at + 1);
                if (Names.isValid(user) && Names.isValid(host)) {
                    return home(user, host);
                }
            }
        }
        throw new IllegalArgumentException(
                "malformed target id: expected system:<host> or home:<user>@<host> with DNS-label names");
    }

    @Override
    public String toString() {
        return kind == TargetKind.SYSTEM ? "system:" + host : "home:" + user + "@" + host;
    }

    @Override
    public int compareTo(TargetId other) {
        return toString().compareTo(other.toString());
    }
}

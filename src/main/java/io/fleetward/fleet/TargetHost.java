package io.fleetward.fleet;

import java.util.regex.Pattern;

/**
 * Where a host's commands go: {@code [user@]host[:port]}, checked strictly because it ends up as an
 * argument of ssh-like tools. The host part is a DNS name, an IPv4 address or a bracketed IPv6
 * address; a leading '-' can never get through, so the value cannot be mistaken for an option.
 *
 * @param user login user (a {@link Names} name), or null for the transport's default
 * @param host DNS name, IPv4 address or IPv6 address (stored without brackets)
 * @param port 1-65535, or 0 for the transport's default port
 */
public record TargetHost(String user, String host, int port) {
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    public TargetHost {
        if (user != null && !Names.isValid(user)) {
            throw new IllegalArgumentException("the user part is not a valid name");
        }
        if (host == null || !(isDnsName(host) || isIpv4(host) || isIpv6(host))) {
            throw new IllegalArgumentException("the host part is not a DNS name, IPv4 address or [IPv6] address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be 1-65535");
        }
    }

    /**
     * Parses {@code [user@]host[:port]}.
     *
     * @throws IllegalArgumentException with the reason; the message never repeats the input
     */
    public static TargetHost parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("target-host is empty");
        }
        String user = null;
        String rest = text;
        int at = text.indexOf('@');
        if (at >= 0) {
            user = text.substring(0, at);
            rest = text.substring(at + 1);
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in the host part");
            }
            host = rest.substring(1, close);
            if (!isIpv6(host)) {
                throw new IllegalArgumentException("the bracketed host part is not an IPv6 address");
            }
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected text after ']'");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = rest.indexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            if (colon >= 0) {
                portText = rest.substring(colon + 1);
                if (portText.indexOf(':') >= 0) {
                    throw new IllegalArgumentException("an IPv6 address must be written in brackets");
                }
            }
        }
        return new TargetHost(user, host, portText == null ? 0 : parsePort(portText));
    }

    /** Whether {@code text} parses as a target host. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A DNS name such as {@code rosegold.zt}: dot-separated labels of letters, digits, '-' and '_'
     * ('_' because {@link Names} allows it in host names), no label starting or ending with '-', and
     * a last label that is not all digits (that would be a mistyped IPv4 address).
     */
    static boolean isDnsName(String text) {
        if (text.isEmpty() || text.length() > 253) {
            return false;
        }
        String[] labels = text.split("\\.", -1);
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    /** Dotted-quad IPv4; leading zeros are refused because some tools read them as octal. */
    static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !DIGITS.matcher(part).matches()
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An IPv6 address (RFC 4291 text forms, including a trailing IPv4 part); zone ids are refused. */
    static boolean isIpv6(String text) {
        if (text.length() < 2 || text.length() > 45) {
            return false;
        }
        String body = text;
        int lastColon = text.lastIndexOf(':');
        if (lastColon < 0) {
            return false;
        }
        String tail = text.substring(lastColon + 1);
        if (tail.indexOf('.') >= 0) {
            if (!isIpv4(tail)) {
                return false;
            }
            // An embedded IPv4 address takes the room of two 16-bit groups.
            body = text.substring(0, lastColon + 1) + "0:0";
        }
        int gap = body.indexOf("::");
        if (gap < 0) {
            return groupCount(body) == 8;
        }
        if (body.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int left = groupCount(body.substring(0, gap));
        int right = groupCount(body.substring(gap + 2));
        return left >= 0 && right >= 0 && left + right <= 7;
    }

    /** Number of colon-separated hex groups, 0 for "", -1 when a group is malformed. */
    private static int groupCount(String groups) {
        if (groups.isEmpty()) {
            return 0;
        }
        String[] parts = groups.split(":", -1);
        for (String part : parts) {
            if (!HEX_GROUP.matcher(part).matches()) {
                return -1;
            }
        }
        return parts.length;
    }

    private static int parsePort(String text) {
        if (!PORT.matcher(text).matches()) {
            throw new IllegalArgumentException("the port must be 1-65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be 1-65535");
        }
        return port;
    }

    @Override
    public String toString() {
        String hostPart = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (user == null ? "" : user + "@") + hostPart + (port == 0 ? "" : ":" + port);
    }
}

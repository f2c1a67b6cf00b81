package io.fleetward.fleet;

import java.util.regex.Pattern;

/**
 * Host and user names: DNS-label-like ({@code [a-z0-9]} then {@code [a-z0-9_-]}, at most 63
 * characters; upper case is refused so a name has one spelling). Everything that reaches a
 * command, a path, a log line or a metric label passed this check first.
 */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Why {@code name} is refused, for error messages; the name itself is shown escaped. */
    public static String rejection(String name) {
        return "invalid name " + printable(name)
                + ": expected a DNS-label-like name (lower-case letters, digits, '-' or '_', at most 63 characters)";
    }

    /** A quoted, control-character-free rendering of untrusted text, safe for one log line. */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().limit(80).forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (text.codePointCount(0, text.length()) > 80) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}

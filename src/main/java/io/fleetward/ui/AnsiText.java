package io.fleetward.ui;

import java.util.regex.Pattern;

/**
 * Log text made fit for a page: ANSI escape sequences (colours, cursor moves, window titles) and the
 * other control characters but tab and newline are removed, so a log shows as the plain text a
 * terminal would print. HTML escaping is the template's job, not this.
 */
final class AnsiText {
    /** CSI sequences (ESC [ ... final byte), OSC sequences (ESC ] ... BEL or ESC \), and two-byte escapes. */
    private static final Pattern ESCAPES = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)?|\u001B[@-Z\\\\-_]|\u009B[0-?]*[ -/]*[@-~]");
    private static final Pattern CONTROLS = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F]");

    private AnsiText() {
    }

    static String strip(String text) {
        if (text.indexOf('\u001B') < 0 && text.indexOf('\u009B') < 0 && !CONTROLS.matcher(text).find()) {
            return text;
        }
        return CONTROLS.matcher(ESCAPES.matcher(text).replaceAll("")).replaceAll("");
    }
}

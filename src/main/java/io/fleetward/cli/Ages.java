package io.fleetward.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Short ages and durations as {@code kubectl} prints them: 42s, 5m, 3h, 12d. */
final class Ages {
    private Ages() {
    }

    static String since(String instant, Instant now) {
        if (instant == null || instant.isEmpty() || instant.equals("null")) {
            return "<none>";
        }
        try {
            return of(Duration.between(Instant.parse(instant), now));
        } catch (DateTimeParseException e) {
            return "<none>";
        }
    }

    static String of(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 2 * 3600) {
            return s / 60 + "m";
        }
        if (s < 2 * 86400) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }

    /** The first 7 characters of a revision, or {@code <none>}. */
    static String revision(String revision) {
        return revision == null || revision.isEmpty() || revision.equals("null") ? "<none>"
                : revision.substring(0, Math.min(7, revision.length()));
    }
}

package io.fleetward.fleet;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as {@code fleetward.yaml} writes them: {@code 90s}, {@code 5m}, {@code 9h}, {@code 1h30m}, {@code 2d}. */
final class DurationText {
    private static final Pattern FORM = Pattern.compile("(?:(\\d{1,4})d)?(?:(\\d{1,5})h)?(?:(\\d{1,6})m)?(?:(\\d{1,7})s)?");

    private DurationText() {
    }

    /**
     * The duration {@code text} says.
     *
     * @throws IllegalArgumentException when it is not one of the forms above
     */
    static Duration parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (text.isBlank() || !m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 90s, 5m, 9h or 1h30m, got "
                    + Names.printable(text));
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) {
            d = d.plusDays(Long.parseLong(m.group(1)));
        }
        if (m.group(2) != null) {
            d = d.plusHours(Long.parseLong(m.group(2)));
        }
        if (m.group(3) != null) {
            d = d.plusMinutes(Long.parseLong(m.group(3)));
        }
        if (m.group(4) != null) {
            d = d.plusSeconds(Long.parseLong(m.group(4)));
        }
        return d;
    }
}

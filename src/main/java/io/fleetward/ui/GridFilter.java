package io.fleetward.ui;

import io.fleetward.reconcile.TargetStatus;
import io.fleetward.reconcile.TargetView;
import java.util.Locale;

/**
 * What the fleet page shows: hosts with a target in {@code status}, tagged {@code tag}, of
 * {@code platform}, whose host, target ids or reasons contain {@code text}. A blank field filters nothing.
 */
public record GridFilter(String status, String tag, String platform, String text) {
    public static final GridFilter NONE = new GridFilter("", "", "", "");

    public GridFilter {
        status = clean(status).toUpperCase(Locale.ROOT);
        tag = clean(tag);
        platform = clean(platform).toLowerCase(Locale.ROOT);
        text = clean(text);
    }

    /** Whether any field filters. */
    public boolean active() {
        return !status.isEmpty() || !tag.isEmpty() || !platform.isEmpty() || !text.isEmpty();
    }

    /** Whether the status field names a real status (an unknown one matches nothing). */
    boolean statusMatches(TargetStatus actual) {
        return status.isEmpty() || actual.name().equals(status);
    }

    boolean textMatches(TargetView view) {
        if (text.isEmpty()) {
            return true;
        }
        String needle = text.toLowerCase(Locale.ROOT);
        return view.target().id().toString().contains(needle)
                || (view.reason() != null && view.reason().toLowerCase(Locale.ROOT).contains(needle));
    }

    private static String clean(String value) {
        return value == null ? "" : value.strip();
    }
}

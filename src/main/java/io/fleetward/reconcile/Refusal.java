package io.fleetward.reconcile;

import java.util.Locale;

/**
 * Why the loop refused a revision: a bounded set, the {@code reason} label of
 * {@code fleetward_source_refusals_total}. A refused revision stalls the loop (it keeps deploying
 * from the last revision it accepted) until a newer revision is accepted.
 */
public enum Refusal {
    /** The revision's inventory (layout, {@code fleetward.yaml}, inventory command) could not be read. */
    INVENTORY,
    /**
     * The revision failed the source checks ({@code fleetward.source.verify}, anti-rollback): unsigned,
     * untrusted, a bad signature, or not a descendant of the revision deployed from.
     */
    VERIFICATION;

    /** The metric label: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

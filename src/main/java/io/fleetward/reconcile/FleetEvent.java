package io.fleetward.reconcile;

import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Something that happened to the fleet that people may want to be told about, as the loop hands it
 * to {@link Notifications}. Immutable; built on the pass thread.
 *
 * @param kind     what happened
 * @param target   the target it happened to, or null for a fleet-wide event (a halted rollout, a
 *                 refused source revision)
 * @param host     the target's host name, or null with no target
 * @param tags     the host's tags (empty with no target)
 * @param revision the revision concerned (deployed, deploying, rolled back from, refused), or null
 * @param outcome  a short word for how it ended ({@code succeeded}, {@code failed}, {@code unreachable}
 *                 ...), or null
 * @param reason   one human sentence: why (never a secret: the loop's reasons never hold one)
 * @param at       when the loop saw it
 */
public record FleetEvent(Kind kind, TargetId target, String host, List<String> tags, String revision, String outcome,
                         String reason, Instant at) {

    public FleetEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        tags = tags == null ? List.of() : List.copyOf(tags);
        reason = reason == null ? "" : reason;
    }

    /** An event about one target. */
    public static FleetEvent of(Kind kind, Target target, String revision, String outcome, String reason, Instant at) {
        return new FleetEvent(kind, target.id(), target.host().name(), target.host().tags(), revision, outcome,
                reason, at);
    }

    /** An event about the whole fleet (no target, no host). */
    public static FleetEvent fleetWide(Kind kind, String revision, String outcome, String reason, Instant at) {
        return new FleetEvent(kind, null, null, List.of(), revision, outcome, reason, at);
    }

    /**
     * The kinds of events, spelled in configuration and JSON as {@link #id()} (e.g.
     * {@code deployment-failed}).
     */
    public enum Kind {
        /** A deployment of a target started (revision: the one being deployed). */
        DEPLOYMENT_STARTED,
        /** A deployment ended with the target at the desired revision (also when the machine already ran it). */
        DEPLOYMENT_SUCCEEDED,
        /** A deployment failed, timed out or was interrupted. */
        DEPLOYMENT_FAILED,
        /** A target was rolled back after a failed health gate (revision: the one rolled back from). */
        ROLLED_BACK,
        /** A rollout stopped before its next wave (fleet-wide, or for one target's wave). */
        ROLLOUT_HALTED,
        /** A target's status turned UNREACHABLE. */
        TARGET_UNREACHABLE,
        /** A machine was found running something fleetward did not deploy (switched by hand, rolled back). */
        OUT_OF_BAND_CHANGE,
        /** The newest revision of the source was refused: its signature or ancestry did not verify. */
        SOURCE_VERIFICATION_FAILED;

        /** The spelling in configuration and JSON: {@code deployment-failed}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}

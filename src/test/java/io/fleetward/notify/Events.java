package io.fleetward.notify;

import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.FleetEvent;
import io.fleetward.reconcile.FleetEvent.Kind;
import java.time.Instant;
import java.util.List;

/** Events as the loop builds them, for the notifier tests. */
final class Events {
    static final String REVISION = "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5";
    static final Instant AT = Instant.parse("2026-11-29T12:00:00Z");

    private Events() {
    }

    /** An event about {@code system:<host>}, the host tagged {@code tags}. */
    static FleetEvent about(Kind kind, String host, String outcome, String reason, String... tags) {
        return new FleetEvent(kind, TargetId.parse("system:" + host), host, List.of(tags), REVISION, outcome, reason,
                AT);
    }

    static FleetEvent failed(String host, String... tags) {
        return about(Kind.DEPLOYMENT_FAILED, host, "failed", "fleetward.commands.system-deploy exited 1", tags);
    }

    static FleetEvent succeeded(String host, String... tags) {
        return about(Kind.DEPLOYMENT_SUCCEEDED, host, "succeeded", "deployed", tags);
    }

    static FleetEvent fleetWide(Kind kind) {
        return FleetEvent.fleetWide(kind, REVISION, "refused", "commit is not signed by a trusted key", AT);
    }
}

package io.fleetward.api;

import io.fleetward.observe.Observation;
import io.fleetward.reconcile.TargetStatus;
import io.fleetward.reconcile.TargetView;
import java.time.Instant;
import java.util.List;

/** A target as the API shows it. */
public record TargetJson(String id, String host, String kind, String user, String platform, List<String> tags,
                         String transport, TargetStatus status, String reason, String desiredRevision,
                         String deployedRevision, String currentPath, String bootedPath, String configurationRevision,
                         Instant lastProbeAt, boolean suspended, Instant updatedAt) {

    static TargetJson of(TargetView view) {
        Observation o = view.observation();
        var target = view.target();
        return new TargetJson(target.id().toString(), target.host().name(), target.kind().label(), target.user(),
                target.platform().label(), target.host().tags(), target.host().transport(), view.status(),
                view.reason(), view.desiredRevision(), view.deployedRevision(),
                o == null ? null : o.currentPath(), o == null ? null : o.bootedPath(),
                o == null ? null : o.configurationRevision(), o == null ? null : o.at(), view.suspended(),
                view.updatedAt());
    }
}

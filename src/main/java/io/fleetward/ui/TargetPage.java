package io.fleetward.ui;

import io.fleetward.observe.Observation;
import io.fleetward.reconcile.TargetView;
import io.quarkus.qute.TemplateData;
import java.util.List;

/** One target as its page shows it; absent values are empty strings. */
@TemplateData
public record TargetPage(String id, String host, String kind, String platform, List<String> tags, String status,
                         String reason, String desiredRevision, String deployedRevision, String currentPath,
                         String bootedPath, boolean rebootPending, String configurationRevision, String lastProbeAt,
                         String unreachable, boolean suspended, String updatedAt) {

    static TargetPage of(TargetView view) {
        Observation o = view.observation();
        var t = view.target();
        return new TargetPage(t.id().toString(), t.host().name(), t.kind().label(), t.platform().label(),
                t.host().tags(), view.status().name(), text(view.reason()), text(view.desiredRevision()),
                text(view.deployedRevision()), o == null ? "" : text(o.currentPath()),
                o == null ? "" : text(o.bootedPath()),
                o != null && o.bootedPath() != null && o.currentPath() != null && !o.bootedPath().equals(o.currentPath()),
                o == null ? "" : text(o.configurationRevision()), o == null ? "never" : o.at().toString(),
                o == null ? "" : text(o.unreachable()), view.suspended(),
                view.updatedAt() == null ? "" : view.updatedAt().toString());
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}

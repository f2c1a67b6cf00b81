package io.fleetward.ui;

import io.fleetward.reconcile.PlanView;
import io.quarkus.qute.TemplateData;
import java.util.List;

/** The plan as its page shows it: what would start now, in order, and what waits and why. */
@TemplateData
public record PlanPage(String desiredRevision, boolean paused, List<Step> steps, List<Waiting> waiting) {

    @TemplateData
    public record Step(int order, String target, String revision, int attempt, String reason) {
    }

    @TemplateData
    public record Waiting(String target, String reason) {
    }

    static PlanPage of(PlanView plan) {
        return new PlanPage(FleetPage.shortRevision(plan.desiredRevision()), plan.paused(),
                plan.deployments().stream().map(s -> new Step(s.order(), s.target().toString(),
                        FleetPage.shortRevision(s.revision()), s.attempt(), s.reason())).toList(),
                plan.deferred().stream().map(d -> new Waiting(d.target().toString(), d.reason())).toList());
    }
}

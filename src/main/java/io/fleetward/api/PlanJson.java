package io.fleetward.api;

import io.fleetward.reconcile.Deferral;
import io.fleetward.reconcile.PlanView;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What the loop would deploy if it planned now, in order and why, and what it would defer and why.
 *
 * @param paused whether fleet-wide automatic deployments are paused (then nothing would start)
 */
public record PlanJson(String desiredRevision, boolean paused, List<Step> deployments, List<Deferred> deferred) {

    /** One deployment the plan would start. */
    public record Step(int order, String target, String revision, int attempt, String reason) {
    }

    /**
     * A drifted target the plan would not start now.
     *
     * @param nextOpening when a maintenance window that holds it opens next (left out when no window holds it)
     */
    public record Deferred(String target, String reason,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextOpening) {
    }

    static PlanJson of(PlanView plan) {
        return new PlanJson(plan.desiredRevision(), plan.paused(),
                plan.deployments().stream().map(s -> new Step(s.order(), s.target().toString(), s.revision(),
                        s.attempt(), s.reason())).toList(),
                plan.deferred().stream().map(PlanJson::deferred).toList());
    }

    private static Deferred deferred(Deferral d) {
        return new Deferred(d.target().toString(), d.reason(), d.nextOpening());
    }
}

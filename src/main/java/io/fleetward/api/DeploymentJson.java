package io.fleetward.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetward.store.DeploymentRecord;
import java.time.Duration;
import java.time.Instant;

/** A deployment as the API shows it; {@code log} only on the single-deployment endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentJson(long id, String target, String host, String kind, String revision, String trigger,
                             Instant startedAt, Instant endedAt, Double durationSeconds, String outcome,
                             Integer exitCode, String reason, String log) {

    static DeploymentJson of(DeploymentRecord r, String log) {
        Double seconds = r.endedAt() == null ? null : Duration.between(r.startedAt(), r.endedAt()).toMillis() / 1000.0;
        return new DeploymentJson(r.id(), r.target().toString(), r.target().host(), r.target().kind().label(),
                r.revision(), r.trigger(), r.startedAt(), r.endedAt(), seconds, r.outcome().name(), r.exitCode(),
                r.reason(), log);
    }
}

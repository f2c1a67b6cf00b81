package io.fleetward.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * What a step of a pass says should happen next; the loop alone acts on it.
 *
 * @param kind       continue with the next step, or end the pass (publishing still runs)
 * @param reason     why the pass ends, one line; null for {@link Kind#CONTINUE}
 * @param retryAfter for {@link Kind#RETRY_AFTER}: when the loop runs the next pass; else null
 */
public record StepResult(Kind kind, String reason, Duration retryAfter) {
    /** What the driver does after the step. */
    public enum Kind {
        /** Go on with the next step. */
        CONTINUE,
        /** Nothing more to do in this pass (e.g. no revision fetched yet). */
        STOP,
        /** A transient failure: end the pass and run another one after {@code retryAfter}. */
        RETRY_AFTER,
        /** Cannot go on until the desired revision moves (e.g. a refused inventory and none before it). */
        STALLED
    }

    public static final StepResult CONTINUE = new StepResult(Kind.CONTINUE, null, null);

    public StepResult {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.CONTINUE) {
            Objects.requireNonNull(reason, "reason");
        }
        if (kind == Kind.RETRY_AFTER) {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    public static StepResult stop(String reason) {
        return new StepResult(Kind.STOP, reason, null);
    }

    public static StepResult retryAfter(Duration delay, String reason) {
        return new StepResult(Kind.RETRY_AFTER, reason, delay);
    }

    public static StepResult stalled(String reason) {
        return new StepResult(Kind.STALLED, reason, null);
    }

    public boolean proceeds() {
        return kind == Kind.CONTINUE;
    }
}

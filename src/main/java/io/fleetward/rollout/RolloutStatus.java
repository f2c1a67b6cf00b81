package io.fleetward.rollout;

import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where the rollout of a revision stands now, as {@link RolloutPolicy#status} judged it: what the
 * API shows, the metrics report and the planner obeys.
 *
 * @param revision    the revision rolled out
 * @param waves       every wave in order with its targets
 * @param runningWave the 1-based index of the last wave that started
 * @param soakUntil   when the next wave may start once the soak is over, or null when none soaks now
 * @param halted      why the rollout stopped, or null
 * @param pending     targets that do not hold their wave (unreachable, suspended, failed and accepted):
 *                    deployed when they are back
 * @param holds       the reason each held target waits, in the words ({@code held: wave ...})
 */
public record RolloutStatus(String revision, List<WaveState> waves, int runningWave, Instant soakUntil,
                            String halted, List<TargetId> pending, Map<TargetId, String> holds) {
    public RolloutStatus {
        waves = List.copyOf(waves);
        pending = List.copyOf(pending);
        holds = Collections.unmodifiableMap(new TreeMap<>(holds));
    }

    /**
     * One wave.
     *
     * @param started whether its targets may deploy
     * @param doneAt  when it and every wave before it were first seen done, or null
     * @param done    how many of its counted targets are done
     * @param counted its targets that hold it (all but the pending ones)
     */
    public record WaveState(String name, boolean started, Instant doneAt, List<Member> targets, int done,
                            int counted) {
        public WaveState {
            targets = List.copyOf(targets);
        }
    }

    /** One target of a wave with its phase. */
    public record Member(TargetId target, TargetPhase phase) {
    }

    /** Why {@code id} waits for the rollout, if it does. */
    public Optional<String> hold(TargetId id) {
        return Optional.ofNullable(holds.get(id));
    }
}

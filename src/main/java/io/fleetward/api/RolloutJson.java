package io.fleetward.api;

import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.reconcile.TargetView;
import io.fleetward.rollout.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the rollout of the desired revision stands: its waves in order with their targets, the soak
 * deadline, why it halted, and the targets that do not hold their wave (unreachable, suspended, failed
 * and accepted by a resume): they are deployed when they are back.
 *
 * @param revision    the revision rolled out; null before the first plan
 * @param runningWave the 1-based index of the last wave that started (0 before the first plan)
 * @param soakUntil   when the next wave may start once the soak is over; null when none soaks now
 * @param halted      why the rollout stopped ({@code system:stibnite failed (...)}); null while it runs
 * @param pending     targets that do not hold their wave
 */
public record RolloutJson(String revision, int runningWave, Instant soakUntil, String halted, List<String> pending,
                          List<Wave> waves) {

    /**
     * One wave.
     *
     * @param index   1-based
     * @param started whether its targets may deploy
     * @param doneAt  when it and every earlier wave were first seen done; null while not done
     * @param done    its targets in sync at the revision
     * @param counted its targets that hold it (all but the pending ones)
     */
    public record Wave(int index, String name, boolean started, Instant doneAt, int done, int counted,
                       List<Member> targets) {
    }

    /**
     * One target of a wave.
     *
     * @param phase  {@code done}, {@code waiting}, {@code pending} or {@code failed}
     * @param status the target's status ({@code IN_SYNC}, {@code DRIFTED}, ...) and its reason
     */
    public record Member(String target, String phase, String status, String reason) {
    }

    static RolloutJson of(Optional<RolloutStatus> rollout, ReconcileLoop loop) {
        if (rollout.isEmpty()) {
            return new RolloutJson(null, 0, null, null, List.of(), List.of());
        }
        RolloutStatus status = rollout.get();
        List<Wave> waves = new ArrayList<>();
        for (RolloutStatus.WaveState wave : status.waves()) {
            List<Member> members = wave.targets().stream().map(member -> {
                Optional<TargetView> view = loop.target(member.target());
                return new Member(member.target().toString(), member.phase().name().toLowerCase(java.util.Locale.ROOT),
                        view.map(v -> v.status().name()).orElse(null), view.map(TargetView::reason).orElse(null));
            }).toList();
            waves.add(new Wave(waves.size() + 1, wave.name(), wave.started(), wave.doneAt(), wave.done(),
                    wave.counted(), members));
        }
        return new RolloutJson(status.revision(), status.runningWave(), status.soakUntil(), status.halted(),
                status.pending().stream().map(Object::toString).toList(), waves);
    }
}
